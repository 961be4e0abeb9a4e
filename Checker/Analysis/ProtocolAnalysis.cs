using PageHintVerify.Model;
using QuikGraph;
using QuikGraph.Algorithms.Search;

namespace PageHintVerify.Checker.Analysis;

/// <summary>A (state, operation) pair with no edge: what the default "no change" does there and what the reference does.</summary>
/// <param name="Reference">The reference's target, or null when the reference has no edge either.</param>
public sealed record GapReport(GuestHostState State, Operation Op, GuestHostState? Reference)
{
    /// <summary>"No change" keeps the page in <see cref="State"/>; true when the reference does the same.</summary>
    public bool SameAsReference => Reference is null || Reference == State;
}

/// <summary>How a graph's edge for one (state, operation, change bit) compares with the reference's.</summary>
public enum EdgeComparison
{
    /// <summary>Both name a target and they differ (a self-loop counts as a target here).</summary>
    Differs,
    /// <summary>The graph moves the page where the reference has no edge or leaves the page where it is.</summary>
    GraphOnly,
    /// <summary>The reference moves the page where the graph has no edge and the pair is no gap (gaps are listed on their own).</summary>
    ReferenceOnly,
}

/// <summary>One edge that differs between the graph and the reference.</summary>
/// <param name="Graph">The graph's target, or null when it has no edge.</param>
/// <param name="Reference">The reference's target, or null when it has no edge.</param>
/// <param name="Edge">The graph's edge that decides the target (its label and <c>file:line</c>), if any.</param>
public sealed record EdgeDifference(EdgeComparison Kind, GuestHostState State, Operation Op, DirtyCondition When,
    GuestHostState? Graph, GuestHostState? Reference, Edge? Edge);

/// <summary>
/// What SPEC section 5 asks about a variant's <c>(g,h)</c> structure, measured against the reference: which states can be
/// reached from <c>Uz</c>, its gaps, its differences from the reference table and its nondeterministic edges.
/// Every list is in SPEC order: states as in SPEC section 2 (invalid ones last), operations as in
/// <see cref="Protocol.TableOperations"/>, clean before dirty.
/// </summary>
/// <param name="Reachable">States reachable from <c>Uz</c> by any sequence of edges, whatever their operation.</param>
/// <param name="Unreachable">Valid states, and invalid states the graph draws, that no path from <c>Uz</c> reaches.</param>
/// <param name="Absent">Valid states that no edge touches.</param>
public sealed record ProtocolAnalysis(
    string Name,
    IReadOnlyList<GuestHostState> Reachable,
    IReadOnlyList<GuestHostState> Unreachable,
    IReadOnlyList<GuestHostState> Absent,
    IReadOnlyList<GapReport> Gaps,
    IReadOnlyList<EdgeDifference> Differences,
    IReadOnlyList<NondeterministicChoice> Nondeterministic)
{
    public static readonly GuestHostState Initial = "Uz";

    public IEnumerable<EdgeDifference> OfKind(EdgeComparison kind) => Differences.Where(d => d.Kind == kind);

    public static ProtocolAnalysis Of(Protocol protocol, Protocol reference)
    {
        var drawn = protocol.Edges.SelectMany(e => new[] { e.From, e.To }).ToHashSet();
        var reachable = ReachableFrom(protocol, Initial);
        var gaps = protocol.Gaps().ToList();
        return new ProtocolAnalysis(
            protocol.Name,
            InSpecOrder(reachable),
            InSpecOrder(GuestHostState.Valid.Concat(drawn).Where(s => !reachable.Contains(s))),
            GuestHostState.Valid.Where(s => !drawn.Contains(s)).ToArray(),
            gaps.Select(g => new GapReport(g.State, g.Op, AnyTarget(reference, g.State, g.Op))).ToArray(),
            Compare(protocol, reference).Where(d => d.Kind != EdgeComparison.ReferenceOnly || !gaps.Contains((d.State, d.Op))).ToArray(),
            protocol.Nondeterministic);
    }

    /// <summary>Breadth-first search over the protocol's edges as one directed graph of <c>(g,h)</c> states.</summary>
    static HashSet<GuestHostState> ReachableFrom(Protocol protocol, GuestHostState root)
    {
        var graph = new AdjacencyGraph<GuestHostState, SEquatableEdge<GuestHostState>>(allowParallelEdges: false);
        graph.AddVertex(root);
        foreach (var e in protocol.Edges) graph.AddVerticesAndEdge(new SEquatableEdge<GuestHostState>(e.From, e.To));
        var reached = new HashSet<GuestHostState>();
        var search = new BreadthFirstSearchAlgorithm<GuestHostState, SEquatableEdge<GuestHostState>>(graph);
        search.DiscoverVertex += s => reached.Add(s);
        search.Compute(root);
        return reached;
    }

    /// <summary>The reference's target for a pair, clean or dirty (the reference is deterministic), or null.</summary>
    static GuestHostState? AnyTarget(Protocol p, GuestHostState s, Operation op) =>
        p.Targets(s, op, false).Concat(p.Targets(s, op, true)).Select(t => (GuestHostState?)t).FirstOrDefault();

    /// <summary>
    /// Every (state, operation, change bit) where graph and reference disagree. The reference's self-loops (a fault, a failed
    /// <c>set_stable_if_present</c>, a no-op) do not move the page, so a graph edge that moves it there is one the reference
    /// lacks; a graph gap where the reference leaves the page as it is agrees with it. Clean and dirty are merged when equal.
    /// Gaps are left in here; <see cref="Of"/> reports them once, as gaps.
    /// </summary>
    static IEnumerable<EdgeDifference> Compare(Protocol graph, Protocol reference)
    {
        foreach (var s in InSpecOrder(GuestHostState.All))
            foreach (var op in Protocol.TableOperations)
            {
                var clean = Compare(graph, reference, s, op, dirty: false);
                var dirty = Compare(graph, reference, s, op, dirty: true);
                if (clean.SequenceEqual(dirty))
                {
                    foreach (var both in clean) yield return both;
                    continue;
                }
                foreach (var c in clean) yield return c with { When = DirtyCondition.Clean };
                foreach (var d in dirty) yield return d with { When = DirtyCondition.Dirty };
            }
    }

    /// <summary>
    /// The differences for one (state, operation, change bit): one per graph target the reference does not have (a
    /// nondeterministic graph may have several), or one when the graph has no edge where the reference moves the page.
    /// A graph target beside the reference's own is an extra outcome, so it counts as only in the graph.
    /// </summary>
    static List<EdgeDifference> Compare(Protocol graph, Protocol reference, GuestHostState s, Operation op, bool dirty)
    {
        var targets = graph.Targets(s, op, dirty);
        GuestHostState? r = AnyTarget(reference, s, op, dirty);
        var differences = new List<EdgeDifference>();
        if (targets.Count == 0)
        {
            if (r is { } rt && rt != s) differences.Add(new EdgeDifference(EdgeComparison.ReferenceOnly, s, op, DirtyCondition.Any, null, r, null));
            return differences;
        }
        foreach (var g in targets)
        {
            if (g == r) continue;
            var kind = r is null || r == s || targets.Contains(r.Value) ? EdgeComparison.GraphOnly : EdgeComparison.Differs;
            // The first edge drawn to this target is the one that names it.
            var edge = graph.Edges.First(e => e.From == s && e.Op == op && e.To == g && Applies(e.When, dirty));
            differences.Add(new EdgeDifference(kind, s, op, DirtyCondition.Any, g, r, edge));
        }
        return differences;
    }

    static GuestHostState? AnyTarget(Protocol p, GuestHostState s, Operation op, bool dirty) =>
        p.Targets(s, op, dirty).Select(t => (GuestHostState?)t).FirstOrDefault();

    static bool Applies(DirtyCondition when, bool dirty) =>
        when == DirtyCondition.Any || (when == DirtyCondition.Dirty) == dirty;

    /// <summary>SPEC section 2's order for valid states, then invalid ones by index.</summary>
    public static GuestHostState[] InSpecOrder(IEnumerable<GuestHostState> states) =>
        states.Distinct().OrderBy(s => s.IsValid ? Array.IndexOf(GuestHostState.Valid, s) : GuestHostState.Count + s.Index).ToArray();
}
