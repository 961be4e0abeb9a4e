namespace PageHintVerify.Model;

/// <summary>Which values of the change bit an edge applies to (only host discard of a P page tells them apart).</summary>
public enum DirtyCondition : byte { Any, Clean, Dirty }

/// <summary>One <c>(g,h)</c> transition of a protocol: a row cell of SPEC section 3 or an edge of a seed graph.</summary>
/// <param name="Source">Where the edge came from, for messages: <c>file:line</c> or <c>SPEC §3</c>.</param>
public readonly record struct Edge(GuestHostState From, Operation Op, GuestHostState To,
    DirtyCondition When = DirtyCondition.Any, string? Label = null, string? Source = null)
{
    public override string ToString() =>
        $"{From} -{Op.Name()}{(When == DirtyCondition.Any ? "" : $" ({When.ToString().ToLowerInvariant()})")}-> {To}";
}

/// <summary>
/// A protocol variant: the <c>(g,h)</c> transition structure, one target per (state, operation, change bit).
/// Content effects are not stored here; <see cref="PageMachine"/> derives them from each edge's kind (SPEC section 5).
/// </summary>
public sealed class Protocol
{
    /// <summary>Operations a protocol table holds edges for. Writeback and reload are compositions of these.</summary>
    public static readonly Operation[] TableOperations =
    [
        Operation.SetUnused, Operation.SetStable, Operation.SetStableIfPresent, Operation.SetVolatile,
        Operation.SetVolatileWritable, Operation.Read, Operation.Write, Operation.HostReclaim,
    ];

    static readonly int Ops = PageOp.OperationCount;
    readonly sbyte[] _next; // [(state * Ops + op) * 2 + dirty] -> target state index, or -1 for no edge

    public string Name { get; }
    public IReadOnlyList<Edge> Edges { get; }
    /// <summary>Pairs of edges with the same (state, operation, change bit) and different targets; the first one wins.</summary>
    public IReadOnlyList<(Edge Kept, Edge Ignored)> Conflicts { get; }

    public Protocol(string name, IEnumerable<Edge> edges)
    {
        Name = name;
        Edges = edges.ToArray();
        _next = new sbyte[GuestHostState.Count * Ops * 2];
        Array.Fill(_next, (sbyte)-1);
        var owner = new Edge?[_next.Length];
        var conflicts = new List<(Edge, Edge)>();
        foreach (var e in Edges)
            for (int dirty = 0; dirty < 2; dirty++)
            {
                if (e.When == DirtyCondition.Clean && dirty == 1 || e.When == DirtyCondition.Dirty && dirty == 0) continue;
                int slot = Slot(e.From, e.Op, dirty == 1);
                if (owner[slot] is { } kept)
                {
                    if (kept.To != e.To && !conflicts.Any(c => c.Item1 == kept && c.Item2 == e)) conflicts.Add((kept, e));
                    continue;
                }
                owner[slot] = e;
                _next[slot] = (sbyte)e.To.Index;
            }
        Conflicts = conflicts;
    }

    static int Slot(GuestHostState from, Operation op, bool dirty) => (from.Index * Ops + (int)op) * 2 + (dirty ? 1 : 0);

    /// <summary>The target of the edge for this state, operation and change bit; null where the protocol has none (a gap).</summary>
    public GuestHostState? Next(GuestHostState from, Operation op, bool dirty)
    {
        int t = _next[Slot(from, op, dirty)];
        return t < 0 ? null : (GuestHostState?)GuestHostState.FromIndex(t);
    }

    /// <summary>
    /// The (state, operation) pairs that need an edge and have none: every usage-state operation in every valid state, and
    /// read and write of a page that is neither resident nor unused (Sp, Sz, Vz), where something must say what the host does.
    /// Accesses to resident pages and to unused pages never move <c>(g,h)</c>, so the seeds do not draw them.
    /// </summary>
    public IEnumerable<(GuestHostState State, Operation Op)> Gaps()
    {
        foreach (var s in GuestHostState.Valid)
            foreach (var op in TableOperations)
                if (NeedsEdge(s, op) && Next(s, op, false) is null && Next(s, op, true) is null) yield return (s, op);
    }

    /// <summary>
    /// Whether a protocol must draw an edge for this pair: every usage-state operation does; a read or write only of a
    /// page neither resident nor unused. Host actions are simply not enabled where no edge is drawn.
    /// </summary>
    public static bool NeedsEdge(GuestHostState s, Operation op) =>
        op <= Operation.SetVolatileWritable ||
        (op is Operation.Read or Operation.Write && s.H != HostState.Resident && s.G != GuestState.Unused);

    /// <summary>The reference protocol: SPEC section 3, row by row.</summary>
    public static Protocol Reference { get; } = new("reference", ReferenceTable.Edges());
}

public static class OperationNames
{
    /// <summary>The SPEC's name of a table operation, as used in edges and analyses.</summary>
    public static string Name(this Operation op) => op switch
    {
        Operation.Read => "read",
        Operation.Write => "write",
        Operation.HostReclaim => "host",
        _ => new PageOp(op).ToString(),
    };
}
