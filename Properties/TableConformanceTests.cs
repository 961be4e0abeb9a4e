using System.Text.RegularExpressions;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Properties.Exploration;
using PageHintVerify.Properties.Schedules;
using PageHintVerify.Schedules;
using PageHintVerify.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace PageHintVerify.Properties;

/// <summary>The lock-free table through the test kit: every test of <see cref="PageTableConformance"/> runs on it.</summary>
public class LockFreePageTableConformance(ITestOutputHelper output) : PageTableConformance(output)
{
    protected override string TableName => "lock-free";

    protected override ScenarioSearch.Drawing Draw => ScheduleChart.Write;

    protected override PageStateTable Create<TMemory>(IReadOnlyList<PageState> pages) => new LockFreePageTable<TMemory>(pages);
}

/// <summary>A table that is not the project's, a seqlock, through the same kit.</summary>
public class SeqlockPageTableConformance(ITestOutputHelper output) : PageTableConformance(output)
{
    protected override string TableName => "seqlock";

    protected override ScenarioSearch.Drawing Draw => ScheduleChart.Write;

    protected override PageStateTable Create<TMemory>(IReadOnlyList<PageState> pages) => new SeqlockPageTable<TMemory>(pages);
}

/// <summary>The kit fails a broken table, with a schedule file that replays the failure.</summary>
[Trait("Category", "Interleavings")]
public class TheTestKitBites(ITestOutputHelper output)
{
    /// <summary>Not public, so xunit does not run its tests: they are expected to fail.</summary>
    sealed class EarlyReleaseSeqlock : PageTableConformance
    {
        protected override string TableName => "seqlock-early-release";

        protected override ScenarioSearch.Drawing Draw => ScheduleChart.Write;

        protected override PageStateTable Create<TMemory>(IReadOnlyList<PageState> pages) =>
            new SeqlockPageTable<TMemory>(pages, earlyRelease: true);
    }

    [Fact]
    public void ASeqlockThatReleasesBeforeItsCellStoresFailsTheExploration()
    {
        var kit = new EarlyReleaseSeqlock();
        // One thread at a time cannot see the early release.
        kit.TheTableAgreesWithTheModelSequentially();
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => kit.TheRealTablePassesEveryInterleaving("dirty-write-writeback"));
        output.WriteLine(failure.Message);
        Assert.Contains("Violation", failure.Message);
        Assert.Matches(@"\nschedule [0-9x ]+ \(\d+ context switches", failure.Message);
        string path = Regex.Match(failure.Message, @"saved to (\S+\.json)").Groups[1].Value;
        Assert.True(File.Exists(Path.ChangeExtension(path, ".svg")), "the failure is not drawn");
        var replayed = kit.Replay(path);
        Assert.Equal(Verdict.Violation, replayed.Verdict);
        Assert.Contains($"Violation: {replayed.Message}", failure.Message);
        // The project's own list of tables names it too, so the file can join schedules/.
        Assert.Equal(replayed.Message, ScheduledTables.Read(path).Replay().Message);
    }

    /// <summary>The lock-free code with a protocol of no edges: every operation is refused where the model moves.</summary>
    sealed class NoEdges : PageTableConformance
    {
        protected override PageStateTable Create<TMemory>(IReadOnlyList<PageState> pages) =>
            new LockFreePageTable<TMemory>(pages, new Protocol("no edges", []));
    }

    /// <summary>Without a test output, the checks still run (they are not skipped with the printing).</summary>
    [Fact]
    public void ATableThatDisagreesWithTheModelFailsEveryCheck()
    {
        var kit = new NoEdges();
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(kit.TheTableAgreesWithTheModelSequentially);
        var noisy = Assert.ThrowsAny<Xunit.Sdk.XunitException>(kit.HistoriesAreLinearizablePerPageUnderNoise);
        Assert.Contains(FsCheckSeed.Variable, noisy.Message);
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => kit.TheRealTablePassesEveryInterleavingOfARandomScenario(1));
    }

    /// <summary>The lock-free table, whose decisions forget a write's pin: its data store races the host.</summary>
    sealed class PinlessWrites : PageTableConformance
    {
        protected override IPageAlgorithm Algorithm => new ForgetsTheWritePin();

        protected override PageStateTable Create<TMemory>(IReadOnlyList<PageState> pages) => new LockFreePageTable<TMemory>(pages);
    }

    [Fact]
    public void DecisionsThatForgetTheWritePinFailTheCheckerAtCas()
    {
        var failure = Assert.ThrowsAny<Xunit.Sdk.XunitException>(new PinlessWrites().TheCheckerFindsNoViolationAtCas);
        Assert.Contains("PinlessWrites's decisions at cas", failure.Message);
        Assert.Matches(@"I[14] violated", failure.Message);
    }
}
