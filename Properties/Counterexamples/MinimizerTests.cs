using PageHintVerify.Engine;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Counterexamples;

/// <summary>
/// Minimal means SPEC section 7's minimal: shortest by BFS, then no script step (and no host thread) can be removed
/// while the same invariant still fails — checked here by searching every such candidate, not by the minimizer's code.
/// </summary>
public sealed class MinimizerTests
{
    static readonly string[] DiscardVolatileScript =
        ["set_stable 0", "write(0) 0", "writeback 0", "set_volatile(w=0) 0", "set_stable_if_present 0", "read(0) 0"];

    static Configuration NaiveScript(string[] script, params HostAction[] hostActions) => new()
    {
        Granularity = Granularity.Naive,
        Program = ProgramKind.Scripted,
        Scripts = [script],
        AllowedHostActions = hostActions.Length == 0 ? null : hostActions,
    };

    static Configuration Config(string name) =>
        Configuration.Load(Path.Combine(SeedFiles.RepositoryRoot(), "configurations", name));

    /// <summary>The shortest trace of <paramref name="invariant"/> in a complete search, or null if it holds.</summary>
    static Violation? Search(Configuration config, Invariant invariant, int threads = 1) =>
        new PageSearch(new Interleavings(config, Variants.Resolve(config.Variant)), new SearchOptions { All = true, Threads = threads })
            .Run().Violations.FirstOrDefault(v => v.Invariant == invariant);

    static MinimizedTrace Minimize(Configuration config, Invariant invariant, int threads = 1) =>
        Minimizer.Minimize(config, Variants.Resolve(config.Variant), Search(config, invariant, threads)!);

    /// <summary>
    /// The guard: the script violates something in the correct system (the reference at atomic granularity, with the
    /// same host threads; with none for a script that is already in that system).
    /// </summary>
    static bool GuardRefuses(Configuration script)
    {
        bool inCorrectSystem = script.Variant == Variants.Reference && script.Granularity == Granularity.Atomic;
        var correct = script with { Variant = Variants.Reference, Granularity = Granularity.Atomic, HostThreads = inCorrectSystem ? 0 : script.HostThreads };
        return new PageSearch(new Interleavings(correct, Protocol.Reference), new SearchOptions { All = true, Threads = 1 })
            .Run().Violations.Count > 0;
    }

    /// <summary>
    /// SPEC section 7's fixpoint: the trace is the shortest of its invariant in its own scripted configuration, and with
    /// any one script step or one host thread removed the invariant holds, or the guard refuses the script (unless the
    /// script itself fails the guard, which then does not apply).
    /// </summary>
    static void AssertMinimal(Configuration script, Invariant invariant, int steps, string what)
    {
        Assert.Equal(steps, Search(script, invariant)?.Trace.Count);
        bool guarded = !GuardRefuses(script);
        var candidates = new List<(string Removed, Configuration Config)>();
        if (script.HostThreads > 0) candidates.Add(("a host thread", script with { HostThreads = script.HostThreads - 1 }));
        var scripts = script.Scripts!;
        for (int v = 0; v < scripts.Count; v++)
            for (int s = 0; s < scripts[v].Count; s++)
            {
                var shorter = scripts.Select((ops, i) => i == v ? ops.Where((_, j) => j != s).ToList() : ops.ToList()).Where(ops => ops.Count > 0).ToList();
                if (shorter.Count > 0) candidates.Add(($"vCPU {v}'s \"{scripts[v][s]}\"", script with { Scripts = shorter }));
            }
        foreach (var (removed, candidate) in candidates)
            Assert.True(Search(candidate, invariant) is null || (guarded && GuardRefuses(candidate)),
                $"{what}: without {removed}, {invariant.Id} still fails and the guard accepts the script");
    }

    [Theory]
    [MemberData(nameof(CounterexampleFolderTests.Files), MemberType = typeof(CounterexampleFolderTests))]
    public void EveryStoredFileIsAFixpoint(string file)
    {
        var c = CounterexampleFile.Read(Path.Combine(CounterexampleFolderTests.Folder, file));
        AssertMinimal(c.Configuration, c.Invariant, c.Steps.Count, file);
    }

    [Fact]
    public void WithoutItsSetVolatileTheDiscardVolatileScriptStillFailsI2ThroughASwapOut()
    {
        // The finding: the old stored script was not minimal with every host action allowed.
        var without = NaiveScript([.. DiscardVolatileScript.Where(op => op != "set_volatile(w=0) 0")]);
        var v = Search(without, Invariants.I2)!;
        Assert.Equal(11, v.Trace.Count);
        Assert.Contains(v.Trace, t => t.Step.Op.Op == Operation.HostReclaim && HostActions.For(t.Step.Before.G) == HostAction.SwapOut);
    }

    [Fact]
    public void WithEveryHostActionTheDiscardVolatileScriptShrinksToTheSwapOutLostWrite()
    {
        var m = Minimize(NaiveScript(DiscardVolatileScript), Invariants.I2);
        Assert.Equal(["set_stable 0", "write(0) 0", "read(0) 0"], Assert.Single(m.Configuration.Scripts!));
        Assert.Equal(8, m.Trace.Count);
        AssertMinimal(m.Configuration, Invariants.I2, 8, "minimized");
    }

    [Fact]
    public void WithTheHostOnlyDiscardingVolatilePagesTheRaceKeepsItsWholeScript()
    {
        var m = Minimize(Config("naive-v-discard-race.json"), Invariants.I2);
        Assert.Equal(DiscardVolatileScript, Assert.Single(m.Configuration.Scripts!));
        Assert.Equal(13, m.Trace.Count);
        AssertMinimal(m.Configuration, Invariants.I2, 13, "minimized");
    }

    [Fact]
    public void ThePDiscardRaceLosesTheWriteItDoesNotNeed()
    {
        var found = Config("naive-p-discard-race.json");
        Assert.Equal(12, Search(found, Invariants.I1)!.Trace.Count);
        var m = Minimize(found, Invariants.I1);
        Assert.Equal(["set_stable 0", "writeback 0", "set_volatile(w=1) 0", "write(1) 0"], Assert.Single(m.Configuration.Scripts!));
        Assert.Equal(10, m.Trace.Count);
        AssertMinimal(m.Configuration, Invariants.I1, 10, "minimized");
        // The same whatever the thread count of the search that found it.
        Assert.Equal(m.Trace, Minimize(found, Invariants.I1, threads: 2).Trace, new TraceComparer());
    }

    [Fact]
    public void TheGuardKeepsARaceFromShrinkingIntoAGuestThatSkipsItsWriteback()
    {
        // Without the writeback, set_volatile alone breaks I4 in the correct system: the swap-out race must keep it.
        var m = Minimize(new Configuration { Granularity = Granularity.Naive }, Invariants.I4);
        Assert.Contains("writeback 0", Assert.Single(m.Configuration.Scripts!));
        Assert.True(GuardRefuses(m.Configuration with { Scripts = [m.Configuration.Scripts![0].Where(op => op != "writeback 0").ToList()] }));
    }

    sealed class TraceComparer : IEqualityComparer<TraceStep>
    {
        public bool Equals(TraceStep? a, TraceStep? b) => a!.Step == b!.Step && a.PagesAfter.SequenceEqual(b.PagesAfter);
        public int GetHashCode(TraceStep t) => t.Step.GetHashCode();
    }
}
