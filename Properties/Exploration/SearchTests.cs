using System.Text.Json;
using PageHintVerify.Engine;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Exploration;

/// <summary>The search's results do not depend on threads; symmetry, hash compaction and SPIN agree with the plain search.</summary>
public class SearchTests
{
    static Interleavings System(Configuration c) => new(c, Model.Variants.Resolve(c.Variant));

    static SearchResult Search(Configuration c, int threads, bool symmetry = false, bool compact = false) =>
        new PageSearch(System(c), new SearchOptions { All = true, Threads = threads, Symmetry = symmetry, HashCompact = compact }).Run();

    public static TheoryData<string> Configs => new()
    {
        "{\"pages\": 1, \"program\": \"any\", \"granularity\": \"cas\", \"vcpus\": 1}",
        "{\"pages\": 1, \"program\": \"any\", \"vcpus\": 2, \"hostThreads\": 2}",
        "{\"pages\": 2, \"granularity\": \"naive\", \"variant\": \"graph1\"}",
        "{\"pages\": 3, \"vcpus\": 3, \"granularity\": \"atomic\", \"program\": \"ignore-results\"}",
        "{\"pages\": 2, \"variant\": \"graph2\", \"granularity\": \"cas\"}",
    };

    static Configuration Parse(string json) => Configuration.FromJson(JsonDocument.Parse(json).RootElement, "search test");

    /// <summary>Every violation with its whole trace (steps and pages), so two results compare as text.</summary>
    internal static string Describe(SearchResult r) => string.Join("\n", r.Violations.Select(v =>
        v.Invariant.Id + ": " + string.Join(" | ", v.Trace.Select(t => $"{t.Step} {string.Join(",", t.PagesAfter)}"))));

    [Theory, MemberData(nameof(Configs))]
    public void OneAndTwoThreadsGiveTheSameStatesAndTraces(string json)
    {
        var c = Parse(json);
        var (one, two) = (Search(c, 1), Search(c, 2));
        Assert.Equal(one.States, two.States);
        Assert.Equal(one.Transitions, two.Transitions);
        Assert.Equal(one.Depth, two.Depth);
        Assert.Equal(Describe(one), Describe(two));
    }

    [Theory, MemberData(nameof(Configs))]
    public void SymmetryFindsTheSameInvariantsViolatedWithTracesAsShort(string json)
    {
        var c = Parse(json);
        var (plain, reduced) = (Search(c, 2), Search(c, 2, symmetry: true));
        Assert.Equal(plain.Violations.Select(v => v.Invariant.Id), reduced.Violations.Select(v => v.Invariant.Id));
        Assert.Equal(plain.Violations.Select(v => v.Trace.Count), reduced.Violations.Select(v => v.Trace.Count));
        Assert.True(reduced.States <= plain.States);
        Assert.Equal(plain.Depth, reduced.Depth);
    }

    [Fact]
    public void SymmetryNearlyHalvesTwoInterchangeablePageCacheVcpus()
    {
        var c = new Configuration { Pages = 2, Granularity = Granularity.Cas };
        var (plain, reduced) = (Search(c, 2), Search(c, 2, symmetry: true));
        Assert.InRange((double)plain.States / reduced.States, 1.8, 2.0);
    }

    [Theory, MemberData(nameof(Configs))]
    public void HashCompactionCountsAsManyStatesOnSmallSpaces(string json)
    {
        var c = Parse(json);
        var (exact, compact) = (Search(c, 2), Search(c, 2, compact: true));
        Assert.Equal(exact.States, compact.States);
        Assert.True(compact.OmissionProbability is > 0 and < 1e-6);
    }

    [Fact]
    public void TracesReplayThroughTheStepByStepSuccessors()
    {
        var c = new Configuration { Pages = 1, Program = ProgramKind.Any, Granularity = Granularity.Cas, Vcpus = 1 };
        var system = System(c);
        var r = new PageSearch(system, new SearchOptions { All = true, Threads = 2 }).Run();
        Assert.NotEmpty(r.Violations);
        foreach (var v in r.Violations)
        {
            // Every step with its result and pages as recorded, and the invariant first broken by the last step.
            var replay = Replay.Run(system, v.Trace.Select(RecordedStep.Of).ToList());
            Assert.True(replay.Complete, replay.Divergence?.ToString());
            Assert.Equal(v.Trace.Count - 1, replay.FirstViolation(v.Invariant));
        }
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SpinStoresAsManyStatesAsPagehintOnAnExportedModelAndNoAssertionFails()
    {
        var c = new Configuration { Pages = 2, Granularity = Granularity.Cas };
        var (ours, spin) = ExportAndSpin(c, checkAssertions: true);
        Assert.Equal(58_240, ours.States);
        Assert.Equal(ours.States, spin.States);
        Assert.Equal(0, spin.Errors);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SpinCountsTheWholeSpaceOfAConfigurationWhoseInvariantsFail()
    {
        // The any program breaks invariants; with assertions ignored SPIN must still count exactly our states.
        var c = new Configuration { Pages = 1, Program = ProgramKind.Any, Granularity = Granularity.Cas };
        var (ours, spin) = ExportAndSpin(c, checkAssertions: false);
        Assert.NotEmpty(ours.Violations);
        Assert.Equal(ours.States, spin.States);
    }

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("naive")]   // I1, I2 and I4 races
    [InlineData("graph2")]  // the Vz→Vr guest write
    public void SpinReportsAnAssertionViolationWherePagehintFindsAnInvariantViolated(string which)
    {
        var c = which == "naive"
            ? new Configuration { Pages = 2, Granularity = Granularity.Naive }
            : new Configuration { Pages = 2, Variant = "graph2" };
        var (ours, spin) = ExportAndSpin(c, checkAssertions: true);
        Assert.NotEmpty(ours.Violations);
        Assert.Equal(1, spin.Errors);
        Assert.Contains("assertion violated", spin.Output);
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void SpinExploresEveryTargetOfANondeterministicProtocolAsPagehintDoes()
    {
        // The reference plus a host drop of a resident stable page beside its swap-out: SPIN must count the drop's
        // states too, and its assertions fail where I1 does.
        var protocol = new Protocol("swap-or-drop", [.. Protocol.Reference.Edges, new Edge("Sr", Operation.HostReclaim, "Sz")]);
        var system = new Interleavings(new Configuration { Pages = 2, Granularity = Granularity.Cas }, protocol);
        EnsureSpin();
        var (all, counted) = SpinRun.ExportAndRun(system, 2, checkAssertions: false);
        Assert.Equal(all.States, counted.States);
        Assert.True(all.States > 58_240, "the drop adds states to two pages at cas");
        var (ours, asserted) = SpinRun.ExportAndRun(system, 2, checkAssertions: true);
        Assert.Contains(ours.Violations, v => v.Invariant.Id == "I1");
        Assert.Equal(1, asserted.Errors);
    }

    static (SearchResult Ours, SpinRun.Outcome Spin) ExportAndSpin(Configuration c, bool checkAssertions)
    {
        EnsureSpin();
        return SpinRun.ExportAndRun(System(c), 2, checkAssertions);
    }

    /// <summary>SPIN is a required package (scripts/prereqs.sh); as root with apt, install it if a fresh machine lacks it.</summary>
    static void EnsureSpin()
    {
        if (SpinRun.Available) return;
        using var p = global::System.Diagnostics.Process.Start("bash", [Path.Combine(Graphs.SeedFiles.RepositoryRoot(), "scripts", "prereqs.sh")]);
        p!.WaitForExit();
        Assert.True(SpinRun.Available, "spin or gcc is not installed and scripts/prereqs.sh could not install them (needs root and apt-get)");
    }
}
