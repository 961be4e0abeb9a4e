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
    IReadOnlyList<(Edge Kept, Edge Ignored)> Conflicts)
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
            protocol.Conflicts);
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

    static GuestHostState? AnyTarget(Protocol p, GuestHostState s, Operation op) => p.Next(s, op, false) ?? p.Next(s, op, true);

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
                if (clean == dirty)
                {
                    if (clean is { } both) yield return both;
                    continue;
                }
                if (clean is { } c) yield return c with { When = DirtyCondition.Clean };
                if (dirty is { } d) yield return d with { When = DirtyCondition.Dirty };
            }
    }

    static EdgeDifference? Compare(Protocol graph, Protocol reference, GuestHostState s, Operation op, bool dirty)
    {
        GuestHostState? g = graph.Next(s, op, dirty), r = reference.Next(s, op, dirty);
        EdgeComparison? kind = (g, r) switch
        {
            (null, null) => null,
            (null, { } rt) => rt == s ? null : EdgeComparison.ReferenceOnly,
            ({ }, null) => EdgeComparison.GraphOnly,
            ({ } gt, { } rt) when gt == rt => null,
            ({ } gt, { } rt) when rt == s => EdgeComparison.GraphOnly,
            _ => EdgeComparison.Differs,
        };
        if (kind is not { } k) return null;
        // The first matching edge is the one Protocol keeps, so it is the one that decided the target.
        Edge? edge = g is null ? null : graph.Edges.First(e => e.From == s && e.Op == op && Applies(e.When, dirty));
        return new EdgeDifference(k, s, op, DirtyCondition.Any, g, r, edge);
    }

    static bool Applies(DirtyCondition when, bool dirty) =>
        when == DirtyCondition.Any || (when == DirtyCondition.Dirty) == dirty;

    /// <summary>SPEC section 2's order for valid states, then invalid ones by index.</summary>
    public static GuestHostState[] InSpecOrder(IEnumerable<GuestHostState> states) =>
        states.Distinct().OrderBy(s => s.IsValid ? Array.IndexOf(GuestHostState.Valid, s) : GuestHostState.Count + s.Index).ToArray();
}
