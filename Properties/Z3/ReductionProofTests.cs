using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Properties.Exploration;
using Xunit;

namespace PageHintVerify.Properties.Z3;

/// <summary>The reduction that lifts the one-step proof to any number of pages, vCPUs and host threads.</summary>
public class ReductionProofTests
{
    static IReadOnlyList<ReductionVerdict> Prove(ReductionSubject subject) => ReductionProof.Run(SharedZ3.Session, Protocol.Reference, subject);

    static readonly Lazy<IReadOnlyList<ReductionVerdict>> Naive = new(() => Prove(ReductionSubject.Naive));

    static ReductionVerdict Verdict(IReadOnlyList<ReductionVerdict> verdicts, ReductionObligation o) => verdicts.Single(v => v.Obligation == o);

    [Trait("Category", "Slow")]
    [Fact]
    public void TheTablesAlgorithmProvesEveryObligation()
    {
        var verdicts = Prove(ReductionSubject.Cas());
        Assert.Equal(ReductionProof.All, verdicts.Select(v => v.Obligation));
        Assert.All(verdicts, v => Assert.True(v.Proved, $"{v.Obligation.Id}: {v.Witness}"));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void NaiveFailsRefinementWithALoadOfAWordOtherThanTheCurrentOne()
    {
        var r1 = Verdict(Naive.Value, ReductionProof.Refines);
        var w = Assert.IsType<ReductionWitness>(r1.Witness);
        Assert.NotEqual(w.Loaded, w.Current);
        // The same store from the current word would be the atomic step: the stale load is the whole fault.
        var decided = new List<CasDecision>();
        ReductionSubject.Naive.Algorithm.Decisions(Protocol.Reference, w.Current, w.Op, decided);
        var (after, result) = PageMachine.Apply(Protocol.Reference, w.Current.Over(PageState.Initial), w.Op);
        Assert.Contains(decided, d => d.Desired == PageWord.Of(after) && d.Outcome == result.Outcome);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void TheCheckerReachesNaivesInterferenceEndingInTheStaleStore()
    {
        var w = Verdict(Naive.Value, ReductionProof.Refines).Witness!;
        var reach = new InterferenceReachability(Protocol.Reference);
        // Z3's witness if the checker reaches it with one vCPU, else the shortest interference of its kind.
        var trace = reach.StaleStore(w) ?? reach.StaleStore(null);
        Assert.NotNull(trace);
        var store = trace[^1].Step;
        Assert.Equal(Phase.Store, store.Phase);
        // Naive decides from the word it loaded, and another actor's step has moved the page since.
        int load = trace.ToList().FindLastIndex(t => t.Step.Actor == store.Actor && t.Step.Phase == Phase.Load);
        Assert.Contains(trace.Skip(load + 1).SkipLast(1), t => t.Step.Actor != store.Actor && t.Step.Before != t.Step.After);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AWriteSwapWithoutThePinFailsThePinObligationAndTheExploration()
    {
        var verdicts = Prove(ReductionSubject.Cas(new ForgetsTheWritePin()));
        var w = Assert.IsType<ReductionWitness>(Verdict(verdicts, ReductionProof.Pin).Witness);
        Assert.Equal(Operation.Write, w.Op.Op);
        Assert.True(Verdict(verdicts, ReductionProof.Refines).Proved); // the word it installs is right, pin aside
        // The exploration at cas finds the race the pin closes (CasStepsTests shows the trace).
        var config = new Configuration
        {
            Program = ProgramKind.Scripted, Granularity = Granularity.Cas,
            Scripts = [["set_stable 0", "read(0) 0", "set_volatile(w=1) 0", "write(1) 0"]],
        };
        var found = new PageSearch(new Interleavings(config, Protocol.Reference, new ForgetsTheWritePin()), new SearchOptions { All = true, Threads = 1 }).Run();
        Assert.Contains(found.Violations, v => v.Invariant.Id is "I1" or "I4");
    }

    /// <summary>The table's decisions, but a host reclaim decides on a pinned word as if it were not pinned.</summary>
    sealed class HostIgnoresThePin : IPageAlgorithm
    {
        public void Decisions(Protocol protocol, PageWord loaded, PageOp op, List<CasDecision> into) =>
            CasAlgorithm.Instance.Decisions(protocol, op.Op == Operation.HostReclaim ? loaded.WithPin(false) : loaded, op, into);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void AHostThatIgnoresThePinFailsThePinObligation()
    {
        // Proof only: the cas steps wait at a pinned word whatever the algorithm decides there, so exploration cannot show it.
        var w = Assert.IsType<ReductionWitness>(Verdict(Prove(ReductionSubject.Cas(new HostIgnoresThePin())), ReductionProof.Pin).Witness);
        Assert.Equal((Operation.HostReclaim, true), (w.Op.Op, w.Loaded.Pinned));
    }

    /// <summary>A decision whose word is right but whose outcome is not: every swap that succeeds reports a failure.</summary>
    sealed class WrongOutcome : IPageAlgorithm
    {
        public void Decisions(Protocol protocol, PageWord loaded, PageOp op, List<CasDecision> into)
        {
            int first = into.Count;
            CasAlgorithm.Instance.Decisions(protocol, loaded, op, into);
            for (int i = first; i < into.Count; i++)
                if (into[i].Outcome == Outcome.Ok && into[i].Desired.Abstract != loaded.Abstract) into[i] = into[i] with { Outcome = Outcome.Failed };
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ASwapThatReturnsAnotherResultThanTheAtomicStepFailsRefinement()
    {
        var w = Assert.IsType<ReductionWitness>(Verdict(Prove(ReductionSubject.Cas(new WrongOutcome())), ReductionProof.Refines).Witness);
        Assert.Equal(w.Loaded, w.Current); // a swap succeeds only on the word it loaded
        Assert.EndsWith("Failed", w.Decided);
    }

    /// <summary>
    /// What the proof predicts, by exploration: no violation at cas for a disciplined guest (the page cache) on sizes
    /// from one to three pages, vCPUs and host threads. Each run is small (under a second); together they reach three of each.
    /// </summary>
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 1, 3)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 1, 2)]
    [InlineData(3, 1, 1)]
    [InlineData(3, 3, 0)]
    public void TheCheckerAtCasFindsNoViolationForADisciplinedGuest(int pages, int vcpus, int hosts)
    {
        var config = new Configuration { Granularity = Granularity.Cas, Pages = pages, Vcpus = vcpus, HostThreads = hosts }.Validate();
        var result = new PageSearch(new Interleavings(config, Protocol.Reference), new SearchOptions { All = true, Threads = 1 }).Run();
        Assert.Empty(result.Violations);
        Assert.True(result.Complete);
    }
}
