namespace PageHintVerify.Model;

/// <summary>The operations of SPEC section 3 that act on one page.</summary>
public enum Operation : byte
{
    SetUnused,
    SetStable,
    SetStableIfPresent,
    /// <summary><c>set_volatile(w=0)</c>: the page is mapped read-only.</summary>
    SetVolatile,
    /// <summary><c>set_volatile(w=1)</c>: the page is mapped writable, so it becomes P.</summary>
    SetVolatileWritable,
    Read,
    Write,
    Writeback,
    Reload,
    /// <summary>The host reclaim action enabled in the page's state: evict unused, swap out, discard volatile or discard potentially-volatile.</summary>
    HostReclaim,
}

/// <summary>How an operation ended (SPEC section 3).</summary>
public enum Outcome : byte
{
    Ok,
    /// <summary><c>set_stable_if_present</c> on a page that is not present.</summary>
    Failed,
    UnusedAccess,
    ProtectionFault,
    DiscardFault,
    /// <summary>A host action with no edge in this state: the host cannot take it.</summary>
    NotEnabled,
    /// <summary>A write to a stable page that no edge makes resident (a gap): nothing stores it. Never happens in the reference.</summary>
    LostWrite,
}

/// <summary>An operation on one page, with the cell for reads and writes.</summary>
public readonly record struct PageOp(Operation Op, byte Cell = 0)
{
    /// <summary>How many operations there are: the size of an operation-indexed table.</summary>
    public static int OperationCount { get; } = Enum.GetValues<Operation>().Length;

    public bool HasCell => Op is Operation.Read or Operation.Write;
    public bool IsGuest => Op != Operation.HostReclaim;

    /// <summary>Every guest operation of SPEC section 3 with every cell: what the most general guest may do.</summary>
    public static readonly PageOp[] AllGuest =
    [
        new(Operation.SetUnused), new(Operation.SetStable), new(Operation.SetStableIfPresent),
        new(Operation.SetVolatile), new(Operation.SetVolatileWritable),
        new(Operation.Read, 0), new(Operation.Read, 1), new(Operation.Write, 0), new(Operation.Write, 1),
        new(Operation.Writeback), new(Operation.Reload),
    ];

    /// <summary>Every guest operation and host reclaim (which picks its action from the page state).</summary>
    public static readonly PageOp[] All = [.. AllGuest, new(Operation.HostReclaim)];

    public override string ToString() => Op switch
    {
        Operation.SetUnused => "set_unused",
        Operation.SetStable => "set_stable",
        Operation.SetStableIfPresent => "set_stable_if_present",
        Operation.SetVolatile => "set_volatile(w=0)",
        Operation.SetVolatileWritable => "set_volatile(w=1)",
        Operation.Read => $"read({Cell})",
        Operation.Write => $"write({Cell})",
        Operation.Writeback => "writeback",
        Operation.Reload => "reload",
        _ => "host reclaim",
    };

    /// <summary>Parses the names <see cref="ToString"/> writes, plus <c>host</c> and the SPEC's host-action names.</summary>
    public static bool TryParse(string text, out PageOp op)
    {
        op = default;
        foreach (var candidate in AllGuest)
            if (candidate.ToString() == text) { op = candidate; return true; }
        if (text is "host reclaim" or "evict unused" or "swap out" or "discard volatile" or "discard potentially-volatile")
        {
            op = new(Operation.HostReclaim);
            return true;
        }
        return false;
    }
}

/// <summary>The host action that <see cref="Operation.HostReclaim"/> is in a given usage state (SPEC section 3, host operations).</summary>
public enum HostAction : byte { EvictUnused, SwapOut, DiscardVolatile, DiscardPotentiallyVolatile }

public static class HostActions
{
    public static HostAction For(GuestState g) => g switch
    {
        GuestState.Unused => HostAction.EvictUnused,
        GuestState.Stable => HostAction.SwapOut,
        GuestState.Volatile => HostAction.DiscardVolatile,
        _ => HostAction.DiscardPotentiallyVolatile,
    };

    public static string Name(this HostAction a) => a switch
    {
        HostAction.EvictUnused => "evict unused",
        HostAction.SwapOut => "swap out",
        HostAction.DiscardVolatile => "discard volatile",
        _ => "discard potentially-volatile",
    };
}

/// <summary>What an operation returned: the old <c>(g,h)</c>, how it ended, the value a read returned,
/// and whether the protocol had no edge for it (a gap, treated as "no change").</summary>
public readonly record struct OpResult(GuestHostState Old, Outcome Outcome, byte Value = 0, bool Gap = false)
{
    /// <summary>Short form for traces: <c>Vr→ok</c>, <c>Uz→Failed</c>, <c>Sr→ok 2</c> for a read.</summary>
    public string Describe(PageOp op) =>
        $"old {Old}, " + (Outcome == Outcome.Ok ? (op.Op == Operation.Read ? $"returns {Value}" : "ok") : Outcome.ToString())
        + (Gap ? " (gap)" : "");
}
