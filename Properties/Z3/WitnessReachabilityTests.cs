using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Z3;

/// <summary>Whether Z3's witnesses are real: what the checker reaches with a disciplined guest on one page.</summary>
public class WitnessReachabilityTests
{
    [Fact]
    public void Graph2SilentReadIsReachableThroughTheGuestWriteOutOfVz()
    {
        var (trace, step) = new WitnessReachability(Variants.Resolve("graph2")).NearestViolation(Invariants.I2)!.Value;
        Assert.Equal(6, trace.Count);
        Assert.Equal(Operation.Read, step.Op.Op);
        Assert.NotEqual(step.Before.Want(step.Op.Cell), step.Result.Value);
        var write = Assert.Single(trace, t => t.Step.Op.Op == Operation.Write && t.Step.Before.GH == "Vz");
        Assert.Equal("Vr", write.PagesAfter[0].GH.ToString());
    }

    [Fact]
    public void ExplorationAgreesWithTheProofNoReachableDisciplinedStepBreaksTheReference()
    {
        var reach = new WitnessReachability(Protocol.Reference);
        Assert.All(Invariants.All, inv => Assert.Null(reach.NearestViolation(inv)));
    }

    [Fact]
    public void AReachablePageComesWithItsShortestTraceAndAnUnreachableOneWithNone()
    {
        var reach = new WitnessReachability(Protocol.Reference);
        Assert.True(PageState.TryParse("Sr d=0 mem=10 disk=10 want=1⊥", out var written));
        Assert.Equal(["set_stable", "write(0)", "writeback"], reach.To(written)!.Select(t => t.Step.Op.ToString()));
        Assert.True(PageState.TryParse("Sr d=0 mem=20 disk=10 want=1⊥", out var stale));
        Assert.Null(reach.To(stale)); // content that differs from what reads must return: no disciplined run gets there
        Assert.Empty(reach.To(PageState.Initial)!);
    }

    [Fact]
    public void ProveOnGraph2PrintsAReachableSilentReadAndExits1()
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["prove", "--variant", "graph2"], o, e);
        Assert.Equal((1, ""), (code, e.ToString()));
        var text = o.ToString();
        var i2 = text[text.IndexOf("I2 no silent read of discarded content: violated", StringComparison.Ordinal)..];
        Assert.Contains("a reachable witness, 6 steps from the initial state:", i2[..i2.IndexOf("I3", StringComparison.Ordinal)]);
        Assert.Contains("L1 a resident volatile or potentially-volatile page holds its expected content: violated (so no longer assumed", text);
    }
}
