using PageHintVerify.Model;
using Xunit;
using static PageHintVerify.Properties.TableText;

namespace PageHintVerify.Properties;

/// <summary>
/// SPEC section 3, cell by cell, written out by hand from the SPEC text with concrete page contents, and compared with
/// the reference model. Nothing here is derived from the code under test.
/// </summary>
public class ReferenceTableTests
{
    /// <summary>The "to" column of a row whose page must come back exactly as it went in.</summary>
    const string NoChange = "no change";

    // Pages used as the "from" column. Contents are chosen so every field the SPEC touches changes visibly, except that
    // U pages carry want ⊥⊥: every way into U sets want:=⊥, so a U page with a want is unreachable, and there the model
    // departs from the letter of SPEC §3 (it forgets want on entering U, not on leaving it). ReachabilityProperties
    // checks that U pages reached from Initial always have want ⊥⊥, which is what makes the two readings agree.
    const string Ur = "Ur d=1 mem=12 disk=21 want=⊥⊥";   // dirty kept from an earlier S page
    const string Uz = "Uz d=0 mem=00 disk=21 want=⊥⊥";
    const string Sr = "Sr d=1 mem=12 disk=10 want=1⊥";
    const string Sp = "Sp d=0 mem=21 disk=20 want=21";
    const string Sz = "Sz d=0 mem=00 disk=12 want=0⊥";
    const string Vr = "Vr d=0 mem=12 disk=12 want=1⊥";
    const string Vz = "Vz d=0 mem=00 disk=21 want=21";
    const string Pr = "Pr d=1 mem=21 disk=11 want=2⊥";  // dirty P
    const string PrClean = "Pr d=0 mem=21 disk=21 want=21";

    /// <summary>One cell of SPEC §3: from page, operation, result (<c>ok</c>, <c>returns N</c> or an <see cref="Outcome"/>),
    /// page after (or <c>no change</c>), and where SPEC is silent, the decision the row tests.</summary>
    public sealed record Row(string From, string Op, string Result, string To, string Silent = "");

    public static readonly Row[] Rows =
    [
        // ── Usage-state operations: rows are the SPEC's from-states, the five columns one line each ─────────────────
        // from     op                         result     to
        new(Ur,     "set_unused",              "ok",      NoChange),
        new(Ur,     "set_stable",              "ok",      "Sr d=1 mem=12 disk=21 want=⊥⊥"),
        new(Ur,     "set_stable_if_present",   "ok",      "Sr d=1 mem=12 disk=21 want=⊥⊥"),
        new(Ur,     "set_volatile(w=0)",       "ok",      "Vr d=1 mem=12 disk=21 want=⊥⊥"),
        new(Ur,     "set_volatile(w=1)",       "ok",      "Pr d=1 mem=12 disk=21 want=⊥⊥"),

        new(Uz,     "set_unused",              "ok",      NoChange),
        new(Uz,     "set_stable",              "ok",      "Sz d=0 mem=00 disk=21 want=⊥⊥"),
        new(Uz,     "set_stable_if_present",   "Failed",  NoChange),
        new(Uz,     "set_volatile(w=0)",       "ok",      "Vz d=0 mem=00 disk=21 want=⊥⊥"),
        new(Uz,     "set_volatile(w=1)",       "ok",      "Vz d=0 mem=00 disk=21 want=⊥⊥"),

        new(Sr,     "set_unused",              "ok",      "Ur d=1 mem=12 disk=10 want=⊥⊥"),
        new(Sr,     "set_stable",              "ok",      NoChange),
        new(Sr,     "set_stable_if_present",   "ok",      NoChange),
        new(Sr,     "set_volatile(w=0)",       "ok",      "Vr d=1 mem=12 disk=10 want=1⊥"),
        new(Sr,     "set_volatile(w=1)",       "ok",      "Pr d=1 mem=12 disk=10 want=1⊥"),

        new(Sp,     "set_unused",              "ok",      "Uz d=0 mem=00 disk=20 want=⊥⊥"),   // slot freed
        new(Sp,     "set_stable",              "ok",      NoChange),
        new(Sp,     "set_stable_if_present",   "ok",      NoChange),
        new(Sp,     "set_volatile(w=0)",       "ok",      "Vz d=0 mem=00 disk=20 want=21"),   // slot freed
        new(Sp,     "set_volatile(w=1)",       "ok",      "Vz d=0 mem=00 disk=20 want=21"),   // slot freed

        new(Sz,     "set_unused",              "ok",      "Uz d=0 mem=00 disk=12 want=⊥⊥"),
        new(Sz,     "set_stable",              "ok",      NoChange),
        new(Sz,     "set_stable_if_present",   "ok",      NoChange),
        new(Sz,     "set_volatile(w=0)",       "ok",      "Vz d=0 mem=00 disk=12 want=0⊥"),
        new(Sz,     "set_volatile(w=1)",       "ok",      "Vz d=0 mem=00 disk=12 want=0⊥"),

        new(Vr,     "set_unused",              "ok",      "Ur d=0 mem=12 disk=12 want=⊥⊥"),
        new(Vr,     "set_stable",              "ok",      "Sr d=0 mem=12 disk=12 want=1⊥"),
        new(Vr,     "set_stable_if_present",   "ok",      "Sr d=0 mem=12 disk=12 want=1⊥"),
        new(Vr,     "set_volatile(w=0)",       "ok",      NoChange),
        new(Vr,     "set_volatile(w=1)",       "ok",      "Pr d=0 mem=12 disk=12 want=1⊥"),

        new(Vz,     "set_unused",              "ok",      "Uz d=0 mem=00 disk=21 want=⊥⊥"),
        new(Vz,     "set_stable",              "ok",      "Sz d=0 mem=00 disk=21 want=21"),   // content lost, returns old Vz
        new(Vz,     "set_stable_if_present",   "Failed",  NoChange),
        new(Vz,     "set_volatile(w=0)",       "ok",      NoChange),
        new(Vz,     "set_volatile(w=1)",       "ok",      NoChange),

        new(Pr,     "set_unused",              "ok",      "Ur d=1 mem=21 disk=11 want=⊥⊥"),
        new(Pr,     "set_stable",              "ok",      "Sr d=1 mem=21 disk=11 want=2⊥"),   // dirty kept
        new(Pr,     "set_stable_if_present",   "ok",      "Sr d=1 mem=21 disk=11 want=2⊥"),   // dirty kept
        new(Pr,     "set_volatile(w=0)",       "ok",      "Vr d=1 mem=21 disk=11 want=2⊥"),
        new(Pr,     "set_volatile(w=1)",       "ok",      NoChange),

        // ── Guest accesses: read(c) and write(c), v = 2 if want[c] = 1, else 1 ──────────────────────────────────────
        // from     op          result           to
        new(Ur,     "read(0)",  "UnusedAccess",  NoChange),
        new(Ur,     "read(1)",  "UnusedAccess",  NoChange),
        new(Ur,     "write(0)", "UnusedAccess",  NoChange),
        new(Ur,     "write(1)", "UnusedAccess",  NoChange),

        new(Uz,     "read(0)",  "UnusedAccess",  NoChange),
        new(Uz,     "read(1)",  "UnusedAccess",  NoChange),
        new(Uz,     "write(0)", "UnusedAccess",  NoChange),
        new(Uz,     "write(1)", "UnusedAccess",  NoChange),

        new(Sr,     "read(0)",  "returns 1",     NoChange),
        new(Sr,     "read(1)",  "returns 2",     NoChange),
        new(Sr,     "write(0)", "ok",            "Sr d=1 mem=22 disk=10 want=2⊥"),    // want 1 → v=2
        new(Sr,     "write(1)", "ok",            "Sr d=1 mem=11 disk=10 want=11"),    // want ⊥ → v=1
        new("Sr d=0 mem=00 disk=00 want=00",
                    "write(0)", "ok",            "Sr d=1 mem=10 disk=00 want=10"),    // want 0 → v=1, dirty:=1

        new(Sp,     "read(0)",  "returns 2",     "Sr d=0 mem=21 disk=20 want=21"),    // fault-in, dirty 0
        new(Sp,     "read(1)",  "returns 1",     "Sr d=0 mem=21 disk=20 want=21"),
        new(Sp,     "write(0)", "ok",            "Sr d=1 mem=11 disk=20 want=11"),    // fault-in, want 2 → v=1
        new(Sp,     "write(1)", "ok",            "Sr d=1 mem=22 disk=20 want=22"),    // fault-in, want 1 → v=2

        new(Sz,     "read(0)",  "returns 0",     "Sr d=0 mem=00 disk=12 want=0⊥"),    // zero-filled
        new(Sz,     "read(1)",  "returns 0",     "Sr d=0 mem=00 disk=12 want=0⊥"),
        new(Sz,     "write(0)", "ok",            "Sr d=1 mem=10 disk=12 want=1⊥"),    // zero-filled, want 0 → v=1
        new(Sz,     "write(1)", "ok",            "Sr d=1 mem=01 disk=12 want=01"),    // zero-filled, want ⊥ → v=1

        new(Vr,     "read(0)",  "returns 1",     NoChange),
        new(Vr,     "read(1)",  "returns 2",     NoChange),
        new(Vr,     "write(0)", "ProtectionFault", NoChange),
        new(Vr,     "write(1)", "ProtectionFault", NoChange),

        new(Vz,     "read(0)",  "DiscardFault",  NoChange),
        new(Vz,     "read(1)",  "DiscardFault",  NoChange),
        new(Vz,     "write(0)", "DiscardFault",  NoChange),
        new(Vz,     "write(1)", "DiscardFault",  NoChange),

        new(Pr,     "read(0)",  "returns 2",     NoChange),
        new(Pr,     "read(1)",  "returns 1",     NoChange),
        new(Pr,     "write(0)", "ok",            "Pr d=1 mem=11 disk=11 want=1⊥"),    // want 2 → v=1
        new(Pr,     "write(1)", "ok",            "Pr d=1 mem=21 disk=11 want=21"),    // want ⊥ → v=1
        new(PrClean, "write(1)", "ok",           "Pr d=1 mem=22 disk=21 want=22"),    // want 1 → v=2, dirty:=1

        // ── Writeback: disk := mem, dirty := 0 on S and P pages, faulted in first ───────────────────────────────────
        new(Ur,     "writeback", "UnusedAccess", NoChange, Silent: "writeback of an unused page is an UnusedAccess"),
        new(Uz,     "writeback", "UnusedAccess", NoChange, Silent: "writeback of an unused page is an UnusedAccess"),
        new(Sr,     "writeback", "ok",           "Sr d=0 mem=12 disk=12 want=1⊥"),
        new(Sp,     "writeback", "ok",           "Sr d=0 mem=21 disk=21 want=21"),    // faulted in first
        new(Sz,     "writeback", "ok",           "Sr d=0 mem=00 disk=00 want=0⊥"),    // zero-filled first
        new(Vr,     "writeback", "ok",           NoChange, Silent: "writeback of a resident V page leaves it as it is"),
        new(Vz,     "writeback", "DiscardFault", NoChange, Silent: "writeback of a discarded V page is a discard fault"),
        new(Pr,     "writeback", "ok",           "Pr d=0 mem=21 disk=21 want=2⊥"),

        // ── Reload: set_unused, set_stable, write disk[c] into each cell, want := disk ──────────────────────────────
        new(Ur,     "reload",   "ok",            "Sr d=1 mem=21 disk=21 want=21"),
        new(Uz,     "reload",   "ok",            "Sr d=1 mem=21 disk=21 want=21"),
        new(Sr,     "reload",   "ok",            "Sr d=1 mem=10 disk=10 want=10"),
        new(Sp,     "reload",   "ok",            "Sr d=1 mem=20 disk=20 want=20"),
        new(Sz,     "reload",   "ok",            "Sr d=1 mem=12 disk=12 want=12"),
        new(Vr,     "reload",   "ok",            "Sr d=1 mem=12 disk=12 want=12"),
        new(Vz,     "reload",   "ok",            "Sr d=1 mem=21 disk=21 want=21"),
        new(Pr,     "reload",   "ok",            "Sr d=1 mem=11 disk=11 want=11"),

        // ── Host operations ──────────────────────────────────────────────────────────────────────────────────────────
        // from     op                               result        to
        new(Ur,     "evict unused",                  "ok",         "Uz d=0 mem=00 disk=21 want=⊥⊥"),  // frame dropped
        new(Uz,     "host reclaim",                  "NotEnabled", NoChange),
        new(Sr,     "swap out",                      "ok",         "Sp d=0 mem=12 disk=10 want=1⊥"),  // slot := mem
        new(Sp,     "host reclaim",                  "NotEnabled", NoChange),
        new(Sz,     "host reclaim",                  "NotEnabled", NoChange),
        new(Vr,     "discard volatile",              "ok",         "Vz d=0 mem=00 disk=12 want=1⊥"),  // frame dropped
        new("Vr d=1 mem=12 disk=10 want=⊥⊥",
                    "discard volatile",              "ok",         "Vz d=0 mem=00 disk=10 want=⊥⊥"),
        new(Vz,     "host reclaim",                  "NotEnabled", NoChange),
        new(Pr,     "discard potentially-volatile",  "ok",         "Sp d=0 mem=21 disk=11 want=2⊥"),  // dirty: slot := mem
        new(PrClean, "discard potentially-volatile", "ok",         "Vz d=0 mem=00 disk=21 want=21"),  // clean: frame dropped
    ];

    /// <summary>The rows as strings, so each shows up as its own test case with its columns in the name.</summary>
    public static TheoryData<string, string, string, string, string> Table
    {
        get
        {
            var data = new TheoryData<string, string, string, string, string>();
            foreach (var r in Rows) data.Add(r.From, r.Op, r.Result, r.To, r.Silent);
            return data;
        }
    }

    static (Outcome Outcome, byte? Value) Result(string text) =>
        text == "ok" ? (Outcome.Ok, null)
        : text.StartsWith("returns ", StringComparison.Ordinal) ? (Outcome.Ok, byte.Parse(text["returns ".Length..]))
        : (Enum.Parse<Outcome>(text), null);

    [Theory]
    [MemberData(nameof(Table))]
    public void ReferenceModelDoesWhatSPECSection3Says(string fromText, string opText, string resultText, string toText, string silent)
    {
        _ = silent; // shown in the case's name: the decision a row tests where SPEC says nothing
        var from = Page(fromText);
        var op = Op(opText);
        var (outcome, value) = Result(resultText);
        var expected = toText == NoChange ? from : Page(toText);

        var (next, result) = PageMachine.Apply(Protocol.Reference, from, op);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(from.GH, result.Old);
        if (value is { } v) Assert.Equal(v, result.Value);
        Assert.Equal(expected.ToString(), next.ToString());
        Assert.False(result.Gap);
    }

    [Fact]
    public void HostRowsNameTheActionSPECGivesTheirUsageState()
    {
        var named = Rows.Where(r => Op(r.Op).Op == Operation.HostReclaim && r.Op != "host reclaim").ToList();
        Assert.Equal(6, named.Count);
        foreach (var row in named)
            Assert.Equal(row.Op, HostActions.For(Page(row.From).G).Name());
    }

    [Fact]
    public void TableCoversEveryValidStateTimesEveryOperationOfSection3()
    {
        var expected = GuestHostState.Valid.SelectMany(s => PageOp.All.Select(op => (s, op))).ToHashSet();
        var covered = Rows.Select(r => (Page(r.From).GH, Op(r.Op))).ToHashSet();

        Assert.Equal(8 * 12, expected.Count);
        Assert.Empty(expected.Except(covered));
        Assert.Empty(covered.Except(expected));
    }

    [Fact]
    public void EveryFromPageInTheTableIsWellFormed()
    {
        foreach (var row in Rows)
            Assert.True(Page(row.From).IsWellFormed, row.From);
    }
}
