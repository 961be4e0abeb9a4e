using PageHintVerify.Engine;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>
/// Inputs that once gave a wrong verdict: a nondeterministic protocol (only the first edge of a pair was explored), a
/// script longer than a byte's worth of steps (the program counter wrapped), and a naive step that faults (it stored the
/// stale word it had loaded).
/// </summary>
public class SoundVerdictTests
{
    static SearchResult Check(Configuration config, Protocol protocol, int threads = 1) =>
        new PageSearch(new Interleavings(config, protocol), new SearchOptions { All = true, Threads = threads }).Run();

    static string Ids(SearchResult r) => string.Join(",", r.Violations.Select(v => v.Invariant.Id));

    /// <summary>The reference with a second host action on a resident stable page: swap it out, or drop it (which loses data).</summary>
    static Protocol SwapOrDrop(bool dropFirst)
    {
        var drop = new Edge("Sr", Operation.HostReclaim, "Sz", Source: "test:1");
        return new Protocol("swap-or-drop", dropFirst ? [drop, .. Protocol.Reference.Edges] : [.. Protocol.Reference.Edges, drop]);
    }

    [Fact]
    public void EveryTargetOfANondeterministicPairIsExploredWhateverTheEdgeOrder()
    {
        var config = new Configuration { Pages = 1 };
        var dropLast = Check(config, SwapOrDrop(dropFirst: false));
        var dropFirst = Check(config, SwapOrDrop(dropFirst: true));
        Assert.Contains("I1", Ids(dropLast));   // the drop loses the page's data, whichever edge was drawn first
        Assert.Equal(Ids(dropFirst), Ids(dropLast));
        Assert.Equal((dropFirst.States, dropFirst.Transitions), (dropLast.States, dropLast.Transitions));
        Assert.Equal(SearchTestsText(dropFirst), SearchTestsText(dropLast));
        Assert.True(dropLast.States > Check(config, Protocol.Reference).States, "the drop reaches states the swap alone does not");
    }

    static string SearchTestsText(SearchResult r) =>
        string.Join("\n", r.Violations.SelectMany(v => v.Trace.Select(t => $"{v.Invariant.Id} {t.Step.Actor} {t.Step.Op} {string.Join(" ", t.PagesAfter)}")));

    [Theory]
    [InlineData("atomic")]
    [InlineData("naive")]
    [InlineData("cas")]
    public void ANondeterministicGraphFileIsJudgedOnEveryEdge(string granularity)
    {
        // The issue's example: two "host swap" edges from Sr, in both orders, on graph 2's structure.
        string graph2 = Variants.BundledText("graph2");
        var last = GraphVariant.Parse("t", graph2.TrimEnd().TrimEnd('}') + "\n  Sr -> Sz [label=\"host swap\"]\n}\n", "t.dot");
        var first = GraphVariant.Parse("t", graph2.Insert(graph2.IndexOf('{') + 1, "\n  Sr -> Sz [label=\"host swap\"]"), "t.dot");
        Assert.NotEmpty(last.Nondeterministic);
        var config = new Configuration { Pages = 1, Granularity = Configuration.GranularityNames[granularity] };
        var a = Check(config, first);
        var b = Check(config, last);
        Assert.Equal(Ids(a), Ids(b));
        Assert.Equal((a.States, a.Transitions), (b.States, b.Transitions));
        // The drop is explored: it reaches states graph 2 alone does not, and an I1 trace ends by dropping a stable page.
        Assert.True(a.States > Check(config, Variants.Resolve("graph2")).States);
        Assert.Contains(a.Violations.Single(v => v.Invariant.Id == "I1").Trace,
            t => t.Step.Op.Op == Operation.HostReclaim && t.Step.Before.GH == "Sr" && t.Step.After.GH == "Sz");
    }

    [Fact]
    public void ATraceThroughANondeterministicChoiceReplaysToTheSamePages()
    {
        var system = new Interleavings(new Configuration { Pages = 1 }, SwapOrDrop(dropFirst: false));
        var found = Check(system.Configuration, system.Protocol).Violations.Single(v => v.Invariant.Id == "I1");
        var replay = Replay.Run(system, found.Trace.Select(RecordedStep.Of).ToList());
        Assert.True(replay.Complete, replay.Divergence?.ToString());
        Assert.Equal(found.Trace.Count - 1, replay.FirstViolation(found.Invariant));
    }

    static Configuration Script(params string[][] scripts) => new() { Program = ProgramKind.Scripted, Scripts = scripts };

    [Theory]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(257)]
    [InlineData(1000)]
    public void ALongScriptRunsAsWritten(int harmless)
    {
        // set_unused on an unused page changes nothing; the read at the end is an access to an unused page (I5).
        var script = Enumerable.Repeat("set_unused 0", harmless).Append("read(0) 0").ToArray();
        var r = Check(Script(script), Protocol.Reference);
        var i5 = Assert.Single(r.Violations);
        Assert.Equal("I5", i5.Invariant.Id);
        Assert.Equal(harmless + 1, i5.Trace.Count(t => t.Step.Actor == 0));
        Assert.Equal(Operation.Read, i5.Trace[^1].Step.Op.Op);
        Assert.All(i5.Trace.SkipLast(1).Where(t => t.Step.Actor == 0), t => Assert.Equal(Operation.SetUnused, t.Step.Op.Op));
    }

    [Fact]
    public void AScriptOverTheLimitIsRefusedWithOneLine()
    {
        var script = Enumerable.Repeat("set_unused 0", GuestProgram.MaxScriptSteps + 1).ToArray();
        var e = Assert.Throws<UsageException>(() => new Interleavings(Script(script), Protocol.Reference));
        Assert.Contains("1 to 4,096 steps (got 4,097)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ANaiveStepThatFaultsStoresNothing()
    {
        // vCPU 0 writes an unused page (a fault: nothing to store) while vCPU 1 allocates and writes it. Storing the
        // stale Uz word over vCPU 1's data made "Uz d=0 mem=10", a state no real code produces (I3).
        var config = Script(["write(0) 0"], ["set_stable 0", "write(0) 0"]) with { Granularity = Granularity.Naive, HostThreads = 0 };
        var r = Check(config, Protocol.Reference);
        Assert.Equal("I5", Ids(r));
        Assert.DoesNotContain(r.Violations, v => v.Invariant.Id == "I3");
    }

    [Fact]
    public void ANaiveLostWriteStillCountsWhatTheGuestWrote()
    {
        // Graph 1 without its write edge: a write to Sz changes no word but is lost, and I1 says so at every granularity
        // (the naive store once kept "nothing changed" and dropped the write's want with it: no violation).
        var text = string.Join('\n', Variants.BundledText("graph1").Split('\n').Where(l => !l.Contains("guest write")));
        var protocol = GraphVariant.Parse("nowrite", text, "nowrite.dot");
        foreach (var g in new[] { Granularity.Atomic, Granularity.Naive, Granularity.Cas })
        {
            var config = Script(["set_stable 0", "write(0) 0"]) with { Granularity = g, HostThreads = 0 };
            Assert.Contains("I1", Ids(Check(config, protocol)));
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AScriptOfTheLongestLengthReplays()
    {
        var script = Enumerable.Repeat("set_unused 0", GuestProgram.MaxScriptSteps - 1).Append("read(0) 0").ToArray();
        var config = Script(script) with { Granularity = Granularity.Cas };
        var system = new Interleavings(config, Protocol.Reference);
        var found = Check(config, Protocol.Reference).Violations.Single();
        var replay = Replay.Run(system, found.Trace.Select(RecordedStep.Of).ToList());
        Assert.True(replay.Complete);
        Assert.Equal(found.Trace.Count - 1, replay.FirstViolation(found.Invariant));
    }

    [Fact]
    public void ReplayThroughManyChoicesThatLeadNowhereEnds()
    {
        // Every step matches two successors (swap out or drop); the last step is never enabled. Without remembering
        // dead ends, replay tries 2^n paths.
        var system = new Interleavings(new Configuration { Pages = 1, Program = ProgramKind.Scripted,
            Scripts = [[.. Enumerable.Repeat(new[] { "write(0) 0", "read(0) 0" }, 20).SelectMany(x => x)]] }, SwapOrDrop(dropFirst: false));
        var steps = new List<RecordedStep>();
        for (int i = 0; i < 40; i++)
        {
            steps.Add(new RecordedStep(0, new PageOp(i % 2 == 0 ? Operation.Write : Operation.Read, 0), 0, Phase.Whole));
            steps.Add(new RecordedStep(1, new PageOp(Operation.HostReclaim), 0, Phase.Whole));
        }
        steps.Add(new RecordedStep(0, new PageOp(Operation.SetUnused), 0, Phase.Whole));
        Assert.False(Replay.Run(system, steps, compare: false).Complete);
    }

    [Fact]
    public void ANaiveStepThatChangesTheWordStillStoresItOverWhatIsThereNow()
    {
        // The SPEC §6 race stays: the guest decided set_stable_if_present on Vr, the host discarded in between (I2).
        var r = Check(new Configuration { Granularity = Granularity.Naive }, Protocol.Reference);
        Assert.Contains("I2", Ids(r));
    }
}
