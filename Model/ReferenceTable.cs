namespace PageHintVerify.Model;

/// <summary>
/// SPEC section 3 as data. Each row is a "from" state; the columns are the operations. Only <c>(g,h)</c> moves are
/// written here: the content rules (want:=⊥ on unused, slot freed, zero-fill, fault-in) follow from each move's kind
/// and live in <see cref="PageMachine"/>, so the seed graphs get exactly the same content semantics.
/// </summary>
public static class ReferenceTable
{
    // from    set_unused  set_stable  set_stable_if_present  set_volatile(w=0)  set_volatile(w=1)
    static readonly string[][] UsageStateOperations =
    [
        ["Ur",     "Ur",       "Sr",       "Sr",                  "Vr",              "Pr"],
        ["Uz",     "Uz",       "Sz",       "Uz" /* fails */,      "Vz",              "Vz"],
        ["Sr",     "Ur",       "Sr",       "Sr",                  "Vr",              "Pr"],
        ["Sp",     "Uz",       "Sp",       "Sp",                  "Vz",              "Vz"],  // slot freed
        ["Sz",     "Uz",       "Sz",       "Sz",                  "Vz",              "Vz"],
        ["Vr",     "Ur",       "Sr",       "Sr",                  "Vr",              "Pr"],
        ["Vz",     "Uz",       "Sz",       "Vz" /* fails */,      "Vz",              "Vz"],  // set_stable: content lost
        ["Pr",     "Ur",       "Sr",       "Sr",                  "Vr",              "Pr"],  // set_stable: dirty kept
    ];

    // from    read   write      (faults are not moves: U → UnusedAccess, Vr write → Protection, Vz → Discard)
    static readonly string[][] GuestAccesses =
    [
        ["Ur",     "Ur",  "Ur"],
        ["Uz",     "Uz",  "Uz"],
        ["Sr",     "Sr",  "Sr"],
        ["Sp",     "Sr",  "Sr"],   // host fault-in
        ["Sz",     "Sr",  "Sr"],   // zero-filled
        ["Vr",     "Vr",  "Vr"],
        ["Vz",     "Vz",  "Vz"],
        ["Pr",     "Pr",  "Pr"],
    ];

    // from    to     change bit
    static readonly (string From, string To, DirtyCondition When)[] HostActions =
    [
        ("Ur",     "Uz",  DirtyCondition.Any),     // evict unused
        ("Sr",     "Sp",  DirtyCondition.Any),     // swap out
        ("Vr",     "Vz",  DirtyCondition.Any),     // discard volatile
        ("Pr",     "Sp",  DirtyCondition.Dirty),   // discard potentially-volatile, dirty: preserved
        ("Pr",     "Vz",  DirtyCondition.Clean),   // discard potentially-volatile, clean: dropped
    ];

    static readonly Operation[] UsageColumns =
        [Operation.SetUnused, Operation.SetStable, Operation.SetStableIfPresent, Operation.SetVolatile, Operation.SetVolatileWritable];
    static readonly Operation[] AccessColumns = [Operation.Read, Operation.Write];

    public static IEnumerable<Edge> Edges()
    {
        foreach (var row in UsageStateOperations)
            for (int i = 0; i < UsageColumns.Length; i++)
                yield return new Edge(row[0], UsageColumns[i], row[i + 1], Source: "SPEC §3");
        foreach (var row in GuestAccesses)
            for (int i = 0; i < AccessColumns.Length; i++)
                yield return new Edge(row[0], AccessColumns[i], row[i + 1], Source: "SPEC §3");
        foreach (var (from, to, when) in HostActions)
            yield return new Edge(from, Operation.HostReclaim, to, when, Source: "SPEC §3");
    }
}
