using System.Numerics;

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
/// A (state, operation) pair for which a protocol draws edges to more than one state: the host (or the guest's
/// mapping) may do either, so every one of them is explored. <paramref name="Edges"/> holds the first edge drawn to each
/// target (and change-bit condition), in the order drawn.
/// </summary>
public sealed record NondeterministicChoice(GuestHostState State, Operation Op, IReadOnlyList<Edge> Edges);

/// <summary>
/// A protocol variant: the <c>(g,h)</c> transition structure, a set of targets per (state, operation, change bit). A
/// graph may draw two edges of one label from one state (a nondeterministic protocol); every target is then an outcome
/// of the operation, and <see cref="PageMachine"/> enumerates them in target-index order, so neither verdicts nor traces
/// depend on the order the edges were drawn in. Content effects are not stored here; <see cref="PageMachine"/> derives
/// them from each move's kind (SPEC section 5).
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
    readonly ushort[] _targets; // [(state * Ops + op) * 2 + dirty] -> bit i set: an edge to the state of index i

    public string Name { get; }
    public IReadOnlyList<Edge> Edges { get; }
    /// <summary>The pairs with more than one target, in state and operation order.</summary>
    public IReadOnlyList<NondeterministicChoice> Nondeterministic { get; }
    public bool IsDeterministic => Nondeterministic.Count == 0;

    /// <summary>Builds the table in one pass over the edges (a graph of many conflicting edges loads in linear time).</summary>
    public Protocol(string name, IEnumerable<Edge> edges)
    {
        Name = name;
        Edges = edges.ToArray();
        _targets = new ushort[GuestHostState.Count * Ops * 2];
        var drawn = new List<Edge>?[GuestHostState.Count * Ops];  // per (state, operation): the first edge to each target
        var seen = new HashSet<(int, int, DirtyCondition)>();
        foreach (var e in Edges)
        {
            for (int dirty = 0; dirty < 2; dirty++)
                if (Applies(e.When, dirty == 1)) _targets[Slot(e.From, e.Op, dirty == 1)] |= (ushort)(1 << e.To.Index);
            int pair = e.From.Index * Ops + (int)e.Op;
            if (seen.Add((pair, e.To.Index, e.When))) (drawn[pair] ??= []).Add(e);
        }
        var choices = new List<NondeterministicChoice>();
        for (int pair = 0; pair < drawn.Length; pair++)
            if (BitOperations.PopCount(_targets[pair * 2]) > 1 || BitOperations.PopCount(_targets[pair * 2 + 1]) > 1)
                choices.Add(new NondeterministicChoice(GuestHostState.FromIndex(pair / Ops), (Operation)(pair % Ops), drawn[pair]!));
        Nondeterministic = choices;
    }

    static bool Applies(DirtyCondition when, bool dirty) => when == DirtyCondition.Any || (when == DirtyCondition.Dirty) == dirty;

    static int Slot(GuestHostState from, Operation op, bool dirty) => (from.Index * Ops + (int)op) * 2 + (dirty ? 1 : 0);

    /// <summary>How many states the protocol's edges lead to from this state, operation and change bit (0: a gap).</summary>
    public int TargetCount(GuestHostState from, Operation op, bool dirty) => BitOperations.PopCount(_targets[Slot(from, op, dirty)]);

    /// <summary>The <paramref name="k"/>-th target in index order (0 &lt;= k &lt; <see cref="TargetCount"/>).</summary>
    public GuestHostState Target(GuestHostState from, Operation op, bool dirty, int k)
    {
        uint mask = _targets[Slot(from, op, dirty)];
        for (; k > 0; k--) mask &= mask - 1;
        return GuestHostState.FromIndex(BitOperations.TrailingZeroCount(mask));
    }

    /// <summary>Every target of the pair, in index order; empty for a gap.</summary>
    public IReadOnlyList<GuestHostState> Targets(GuestHostState from, Operation op, bool dirty) =>
        [.. Enumerable.Range(0, TargetCount(from, op, dirty)).Select(k => Target(from, op, dirty, k))];

    /// <summary>
    /// The (state, operation) pairs that need an edge and have none: every usage-state operation in every valid state, and
    /// read and write of a page that is neither resident nor unused (Sp, Sz, Vz), where something must say what the host does.
    /// Accesses to resident pages and to unused pages never move <c>(g,h)</c>, so the seeds do not draw them.
    /// </summary>
    public IEnumerable<(GuestHostState State, Operation Op)> Gaps()
    {
        foreach (var s in GuestHostState.Valid)
            foreach (var op in TableOperations)
                if (NeedsEdge(s, op) && TargetCount(s, op, false) == 0 && TargetCount(s, op, true) == 0) yield return (s, op);
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
