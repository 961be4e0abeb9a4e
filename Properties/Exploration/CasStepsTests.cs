using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using Xunit;

using Successor = PageHintVerify.Engine.Transition<PageHintVerify.Checker.Exploration.Step>;

namespace PageHintVerify.Properties.Exploration;

/// <summary>
/// The <c>cas</c> granularity takes the lock-free table's steps: walked one step at a time through the step-by-step
/// successors, and searched with a deliberately broken decision.
/// </summary>
public class CasStepsTests
{
    static Interleavings System(int hosts, params string[][] scripts) =>
        new(new Configuration { Program = ProgramKind.Scripted, Granularity = Granularity.Cas, Pages = 1, HostThreads = hosts, Scripts = scripts }, Protocol.Reference);

    /// <summary>Walks a state through the steps named, each the only one of its actor, phase (and page) from there.</summary>
    sealed class Walk(Interleavings system)
    {
        public PackedState State = system.Initial;
        public readonly List<Step> Steps = [];

        public List<Successor> Of(int actor)
        {
            var all = new List<Successor>();
            system.Successors(State, all);
            return all.Where(s => s.Step.Actor == actor).ToList();
        }

        public Step Take(int actor, Phase phase, int page = 0)
        {
            var step = Assert.Single(Of(actor), s => s.Step.Phase == phase && s.Step.Page == page);
            State = step.State;
            Steps.Add(step.Step);
            return step.Step;
        }

        public void Take(int actor, params Phase[] phases)
        {
            foreach (var phase in phases) Take(actor, phase);
        }

        public string[] PhasesOf(int actor) => [.. Steps.Where(s => s.Actor == actor).Select(s => StepText.PhaseText(s.Phase))];
    }

    static readonly Phase[] Sets = [Phase.Load, Phase.Swap];
    static readonly Phase[] FirstWrite = [Phase.Load, Phase.Swap, Phase.ZeroFill, Phase.StoreData, Phase.Release];
    static readonly Phase[] Write = [Phase.Load, Phase.Swap, Phase.StoreData, Phase.Release];

    [Fact]
    public void AnOptimisticReadRetriesWhenAWriteCommitsBetweenItsTwoLoads()
    {
        var walk = new Walk(System(0, ["set_stable 0", "write(0) 0", "write(0) 0"], ["read(0) 0"]));
        walk.Take(0, Sets);
        walk.Take(0, FirstWrite);                       // Sr, cell 0 holds 1
        walk.Take(1, Phase.Load, Phase.ReadCell);       // the read sees 1 ...
        walk.Take(0, Write);                            // ... a write commits 2 ...
        var moved = walk.Take(1, Phase.LoadAgainFails);      // ... so its second load finds the word moved
        Assert.Equal("word changed", StepText.Result(moved));
        walk.Take(1, Phase.Load, Phase.ReadCell);
        var read = walk.Take(1, Phase.LoadAgain);
        Assert.Equal((Outcome.Ok, (byte)2), (read.Result.Outcome, read.Result.Value));
        Assert.Equal(["load", "read-cell", "load-again-fails", "load", "read-cell", "load-again"], walk.PhasesOf(1));
    }

    [Fact]
    public void AnOptimisticReadThatNoWriteInterruptsReturnsAtItsSecondLoadAndIsJudgedThere()
    {
        var walk = new Walk(System(0, ["set_stable 0", "write(0) 0", "read(0) 0"]));
        walk.Take(0, Sets);
        walk.Take(0, FirstWrite);
        walk.Take(0, Phase.Load, Phase.ReadCell);
        Assert.False(walk.Steps[^2].HasResult);
        Assert.False(walk.Steps[^1].HasResult);
        var read = walk.Take(0, Phase.LoadAgain);
        Assert.True(read.HasResult);
        Assert.Equal(1, read.Result.Value);
    }

    [Fact]
    public void TheZeroFillPinBlocksAConcurrentReaderUntilTheRelease()
    {
        var walk = new Walk(System(0, ["set_stable 0", "write(0) 0"], ["read(0) 0"]));
        walk.Take(0, Sets);                             // Sz
        walk.Take(0, Phase.Load, Phase.Swap);           // Sz → Sr, pinned for the zero-fill and the data store
        foreach (var phase in new[] { Phase.ZeroFill, Phase.StoreData })
        {
            Assert.Empty(walk.Of(1));                   // the reader's load waits on the pin
            walk.Take(0, phase);
        }
        Assert.Empty(walk.Of(1));
        walk.Take(0, Phase.Release);
        walk.Take(1, Phase.Load, Phase.ReadCell, Phase.LoadAgain);
        Assert.Equal(1, walk.Steps[^1].Result.Value);
    }

    [Fact]
    public void AHostReclaimWhoseSwapFailsRetriesTheSamePage()
    {
        var walk = new Walk(new Interleavings(new Configuration
        {
            Program = ProgramKind.Scripted, Granularity = Granularity.Cas, Pages = 2, HostThreads = 1,
            Scripts = [["set_stable 0", "write(0) 0", "set_stable 1", "write(0) 1", "write(0) 0"]],
        }, Protocol.Reference));
        walk.Take(0, Sets);
        walk.Take(0, FirstWrite);
        foreach (var phase in Sets) walk.Take(0, phase, page: 1);
        foreach (var phase in FirstWrite) walk.Take(0, phase, page: 1);
        Assert.Equal(2, walk.Of(1).Count(s => s.Step.Phase == Phase.Load)); // the host may pick either page
        walk.Take(1, Phase.Load, page: 0);
        walk.Take(0, Write);                            // the word of page 0 moves under the host
        walk.Take(1, Phase.SwapFails, page: 0);
        var next = Assert.Single(walk.Of(1));           // not back to picking a page: page 0 again
        Assert.Equal((Phase.Load, (byte)0), (next.Step.Phase, next.Step.Page));
        walk.Take(1, Phase.Load, page: 0);
        var reclaim = walk.Take(1, Phase.Swap, page: 0);
        Assert.Equal(Outcome.Ok, reclaim.Result.Outcome);
        Assert.Equal(["load", "swap-fails", "load", "swap"], walk.PhasesOf(1));
    }

    [Fact]
    public void ASwapAfterAnABAChangeOfTheWordFails()
    {
        var walk = new Walk(System(0, ["set_stable 0", "write(0) 0"], ["set_unused 0", "set_stable 0"]));
        walk.Take(0, Sets);                             // Sz
        walk.Take(0, Phase.Load);                       // the write loads Sz ...
        var loaded = walk.Steps[^1].After;
        walk.Take(1, Sets);                             // ... Uz ...
        walk.Take(1, Sets);                             // ... Sz again: the same word, another version
        Assert.Equal(PageWord.Of(loaded), PageWord.Of(walk.Steps[^1].After));
        var step = Assert.Single(walk.Of(0));
        Assert.Equal(Phase.SwapFails, step.Step.Phase);
    }

    [Fact]
    public void ADecisionThatForgetsTheWritesPinLetsTheHostLoseTheWrite()
    {
        var config = new Configuration
        {
            Program = ProgramKind.Scripted, Granularity = Granularity.Cas,
            Scripts = [["set_stable 0", "read(0) 0", "set_volatile(w=1) 0", "write(1) 0"]],
        };
        SearchResult Check(IPageAlgorithm? algorithm) =>
            new PageSearch(new Interleavings(config, Protocol.Reference, algorithm), new SearchOptions { All = true, Threads = 1 }).Run();
        Assert.Empty(Check(null).Violations);
        var found = Check(new ForgetsTheWritePin()).Violations;
        Assert.Contains(found, v => v.Invariant.Id is "I1" or "I4");
        // The race the pin closes: the host reclaims between the write's swap and its data store.
        var v = found.First(v => v.Invariant.Id is "I1" or "I4");
        var trace = v.Trace.ToList();
        int swap = trace.FindIndex(t => t.Step.Op.Op == Operation.Write && t.Step.Phase == Phase.Swap);
        int reclaim = trace.FindIndex(t => t.Step.Op.Op == Operation.HostReclaim && t.Step.Phase == Phase.Swap);
        Assert.InRange(reclaim, swap + 1, v.Trace.Count - 1);
        Assert.DoesNotContain(v.Trace.Take(reclaim), t => t.Step.Op.Op == Operation.Write && t.Step.Phase == Phase.StoreData);
    }

    [Fact]
    public void ACasCounterexampleReplaysThroughTheStepByStepSuccessors()
    {
        var system = new Interleavings(new Configuration { Program = ProgramKind.Any, Granularity = Granularity.Cas, Pages = 1 }, Protocol.Reference);
        var r = new PageSearch(system, new SearchOptions { All = true, Threads = 2 }).Run();
        var v = Assert.Single(r.Violations, v => v.Invariant.Id == "I2");
        // The silent read is a read that faults the page in: judged at its swap, the work under the pin not again.
        Assert.Equal((Operation.Read, Phase.Swap), (v.Trace[^1].Step.Op.Op, v.Trace[^1].Step.Phase));
        Assert.Contains(v.Trace, t => t.Step.Phase == Phase.Release);
        var replay = Replay.Run(system, v.Trace.Select(RecordedStep.Of).ToList());
        Assert.True(replay.Complete, replay.Divergence?.ToString());
        Assert.Equal(v.Trace.Count - 1, replay.FirstViolation(v.Invariant));
    }
}

/// <summary>A cas counterexample through the command line: found, saved, replayed.</summary>
public sealed class CasCounterexampleTests() : CommandTests("pagehint-cas-")
{
    [Fact]
    public void CheckAtCasSavesCounterexamplesThatReplayReproduces()
    {
        var (code, output, _) = Run("check", "--pages", "1", "--program", "any", "--granularity", "cas", "--all", "--quiet", "--save", Dir);
        Assert.Equal(1, code);
        Assert.Contains("I2: saved", output);
        var files = Directory.GetFiles(Dir).Order().ToArray();
        Assert.Equal(4, files.Length);
        Assert.Contains("\"phase\": \"release\"", File.ReadAllText(Assert.Single(files, f => f.Contains("-I2-"))));
        var replay = Run(["replay", .. files]);
        Assert.Equal((1, 4), (replay.Code, replay.Out.Split('\n').Count(l => l.Contains(": reproduces I"))));
    }
}
