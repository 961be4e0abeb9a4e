using PageHintVerify.Checker.Analysis;
using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Graphs;

public class ProtocolAnalysisTests
{
    static ProtocolAnalysis Analyze(string variant) => ProtocolAnalysis.Of(Variants.Resolve(variant), Protocol.Reference);

    static EdgeDifference Find(ProtocolAnalysis a, EdgeComparison kind, GuestHostState s, Operation op) =>
        Assert.Single(a.OfKind(kind), d => d.State == s && d.Op == op);

    [Fact]
    public void ReferenceHasNoGapsNoDifferencesAndReachesEveryValidState()
    {
        var a = Analyze("reference");
        Assert.Equal(GuestHostState.Valid, a.Reachable);
        Assert.Empty(a.Unreachable);
        Assert.Empty(a.Absent);
        Assert.Empty(a.Gaps);
        Assert.Empty(a.Differences);
        Assert.Empty(a.Nondeterministic);
    }

    [Fact]
    public void Graph1HasNoWayIntoPr()
    {
        var a = Analyze("graph1");
        Assert.Equal(["Pr"], a.Unreachable);
        Assert.DoesNotContain((GuestHostState)"Pr", a.Reachable);
        Assert.Empty(a.Absent); // Pr is drawn, with host edges out of it only
        Assert.Contains(new GapReport("Pr", Operation.SetUnused, "Ur"), a.Gaps);
    }

    [Fact]
    public void Graph1SetVolatileWritableDiffersFromTheReference()
    {
        var a = Analyze("graph1");
        var d = Find(a, EdgeComparison.Differs, "Ur", Operation.SetVolatileWritable);
        Assert.Equal(((GuestHostState?)"Vr", (GuestHostState?)"Pr"), (d.Graph, d.Reference));
        Assert.Equal(("page_set_volatile", "graph1.dot:3"), (d.Edge?.Label, d.Edge?.Source));
        Assert.Equal(3, a.OfKind(EdgeComparison.Differs).Count()); // Ur, Sr and Vr all go to V instead of P
    }

    [Fact]
    public void Graph1LacksTheHostDiscardOfAVolatilePage()
    {
        var d = Find(Analyze("graph1"), EdgeComparison.ReferenceOnly, "Vr", Operation.HostReclaim);
        Assert.Equal(((GuestHostState?)null, (GuestHostState?)"Vz"), (d.Graph, d.Reference));
    }

    [Fact]
    public void Graph2ReachesPrAndWritesAZeroVolatilePageBackToLife()
    {
        var a = Analyze("graph2");
        Assert.Equal(GuestHostState.Valid, a.Reachable);
        var d = Find(a, EdgeComparison.GraphOnly, "Vz", Operation.Write);
        Assert.Equal(((GuestHostState?)"Vr", (GuestHostState?)"Vz"), (d.Graph, d.Reference));
        Assert.Equal(("guest write", "graph2.dot:36"), (d.Edge?.Label, d.Edge?.Source));
        Assert.Empty(a.OfKind(EdgeComparison.Differs));
    }

    [Fact]
    public void GapsSayWhetherNoChangeIsWhatTheReferenceDoes()
    {
        var gaps = Analyze("graph2").Gaps;
        Assert.True(Assert.Single(gaps, g => g.State == "Vz" && g.Op == Operation.SetStableIfPresent).SameAsReference);
        var read = Assert.Single(gaps, g => g.State == "Sz" && g.Op == Operation.Read);
        Assert.False(read.SameAsReference);
        Assert.Equal((GuestHostState?)"Sr", read.Reference);
    }

    [Fact]
    public void NondeterministicPairsAndUnreachableDrawnStatesAreReported()
    {
        var p = GraphVariant.Parse("t", """
            digraph {
              Uz -> Sz [label="set stable"]
              Uz -> Vz [label="set stable"]
              Pr -> Sr [label="host discard"]
            }
            """, "t.dot");
        var a = ProtocolAnalysis.Of(p, Protocol.Reference);
        var choice = Assert.Single(a.Nondeterministic);
        Assert.Equal(((GuestHostState)"Uz", Operation.SetStable), (choice.State, choice.Op));
        Assert.Equal(["Sz t.dot:2", "Vz t.dot:3"], choice.Edges.Select(e => $"{e.To} {e.Source}"));
        Assert.Equal(["Uz", "Sz", "Vz"], a.Reachable);
        Assert.Equal(["Ur", "Sr", "Sp", "Vr", "Pr"], a.Unreachable);
        Assert.Equal(["Ur", "Sp", "Vr"], a.Absent);
        // The reference has no host action on Pr that ends in Sr; the clean and dirty cases differ from it separately.
        Assert.Equal([DirtyCondition.Clean, DirtyCondition.Dirty],
            a.OfKind(EdgeComparison.Differs).Where(d => d.State == "Pr").Select(d => d.When));
    }
}
