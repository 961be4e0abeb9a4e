using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

public class SearchTests
{
    static SearchReport<string> Search<TSystem>(TSystem system, bool all = true, int threads = 1, bool symmetry = false, bool compact = false)
        where TSystem : ITransitionSystem<string> =>
        new BreadthFirstSearch<TSystem, string>(system, new SearchOptions { All = all, Threads = threads, Symmetry = symmetry, HashCompact = compact }).Run();

    static string[] Labels(PropertyViolation<string> v) => [.. v.Trace.Select(t => t.Step)];

    [Fact]
    public void CheckThenSetReachesAll16PairsOfProgramCountersIn30StepsAndDepth6()
    {
        // Each process's flag is up exactly in its critical section, so a state is its pair of program counters: 4 × 4.
        // Every state has two steps but the two where one process checks while the other is critical: 32 - 2. Both
        // critical takes both processes' three steps: depth 6.
        var r = Search(new CheckThenSet());
        Assert.Equal((16L, 30L, 6), (r.States, r.Transitions, r.Depth));
        Assert.Equal((r.States, r.Transitions, r.Depth), BruteForce.Count(new CheckThenSet()));
        Assert.True(r.Complete);
    }

    [Fact]
    public void CheckThenSetViolatesMutualExclusionByBothCheckingBeforeEitherSetsItsFlag()
    {
        var r = Search(new CheckThenSet(), all: false);
        var v = Assert.Single(r.Violations);
        Assert.Equal(0, v.Property);
        // Process 0's steps come first; process 1 must pass its check before 0's flag is up.
        string[] expected = ["0:want", "0:check", "1:want", "1:check", "0:set flag", "1:set flag"];
        Assert.Equal(expected, Labels(v));
        Assert.Equal(expected, BruteForce.FirstShortestViolation(new CheckThenSet(), 0, 10));
        Assert.Equal((Critical: 3, 3), (Mutex.Decode(v.Trace[^1].State).Pc0, Mutex.Decode(v.Trace[^1].State).Pc1));
        Assert.False(r.Complete);
    }

    [Fact]
    public void PetersonKeepsMutualExclusionOverEveryReachableState()
    {
        var r = Search(new Peterson());
        Assert.Empty(r.Violations);
        Assert.True(r.Complete);
        Assert.Equal((r.States, r.Transitions, r.Depth), BruteForce.Count(new Peterson()));
        Assert.Null(BruteForce.FirstShortestViolation(new Peterson(), 0, 12));
    }

    [Fact]
    public void SymmetryStoresOneStatePerOrbitOfSwappingTheProcessesAndStillFindsTheBug()
    {
        // 16 ordered pairs of program counters: 4 with equal counters, 6 unordered pairs of different ones.
        var system = new SymmetricCheckThenSet();
        var r = Search(system, symmetry: true);
        Assert.Equal(10L, r.States);
        Assert.Equal((r.States, r.Transitions, r.Depth), BruteForce.Count(system, s => system.Canonical(s)));
        Assert.Equal(16L, Search(system).States);
        var v = Assert.Single(r.Violations);
        Assert.Equal(6, v.Trace.Count);
        Assert.Equal(1, system.StateViolations(v.Trace[^1].State));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(60, false)] // counters in the second word: states stored collapsed
    public void CountersGiveTheClosedFormCountsAndTheSameResultsOnOneAndTwoThreads(int padding, bool compact)
    {
        // 5 counters to 11: 12^5 states, 5·11·12^4 steps, depth 55; the widest level (about 12,900 states) is two chunks.
        var system = new Counters(5, 11, alarm: 3, padding);
        var one = Search(system, threads: 1, compact: compact);
        Assert.Equal((248_832L, 1_140_480L, 55), (one.States, one.Transitions, one.Depth));
        var two = Search(system, threads: 2, compact: compact);
        Assert.Equal((one.States, one.Transitions, one.Depth), (two.States, two.Transitions, two.Depth));
        Assert.Equal(one.Violations.Select(v => (v.Property, string.Join(",", Labels(v)))), two.Violations.Select(v => (v.Property, string.Join(",", Labels(v)))));
        // The state property fails at the very last state, reached first by filling the counters in order; the alarm
        // on the third step.
        Assert.Equal([0, 1], one.Violations.Select(v => v.Property));
        Assert.Equal(Enumerable.Range(0, 5).SelectMany(i => Enumerable.Repeat($"inc {i}", 11)), Labels(one.Violations[0]));
        Assert.Equal(["inc 0", "inc 0", "inc 0"], Labels(one.Violations[1]));
    }

    [Fact]
    public void CountersMatchABruteForceEnumeration()
    {
        var system = new Counters(3, 4, alarm: 2);
        var r = Search(system);
        Assert.Equal((125L, 300L, 12), (r.States, r.Transitions, r.Depth));
        Assert.Equal((r.States, r.Transitions, r.Depth), BruteForce.Count(system));
        Assert.Equal(BruteForce.FirstShortestViolation(system, 1, 12), Labels(r.Violations[1]));
        Assert.Equal(BruteForce.FirstShortestViolation(system, 0, 12), Labels(r.Violations[0]));
    }

    [Fact]
    public void ASearchForTheFirstViolationStopsAtItsLevel()
    {
        var r = Search(new Counters(5, 11, alarm: 3), all: false);
        var v = Assert.Single(r.Violations);
        Assert.Equal(1, v.Property);
        Assert.Equal(3, r.Depth);
        Assert.False(r.Complete);
    }

    [Fact]
    public void TheLevelsListEveryReachableStateOnce()
    {
        var levels = new BreadthFirstSearch<Peterson, string>(new Peterson(), new SearchOptions { Threads = 1 }).ReachableLevels(1000)!;
        var states = levels.SelectMany(l => l).ToList();
        Assert.Equal(BruteForce.Count(new Peterson()).States, states.Count);
        Assert.Equal(states.Count, states.Distinct().Count());
        Assert.Equal(new Peterson().Initial, levels[0].Single());
        Assert.Null(new BreadthFirstSearch<Peterson, string>(new Peterson(), new SearchOptions { Threads = 1 }).ReachableLevels(5));
    }
}
