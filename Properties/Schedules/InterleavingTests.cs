using PageHintVerify.Schedules;
using Xunit;
using Xunit.Abstractions;
using PageHintVerify.TestKit;
using static PageHintVerify.TestKit.ScenarioText;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// The real lock-free table's code, run one shared-memory access at a time under the scheduler (every interleaving of
/// every scenario: <see cref="LockFreePageTableConformance"/>): the reduction loses no outcome; tables broken on purpose
/// fail, with a minimal schedule that replays.
/// </summary>
[Trait("Category", "Interleavings")]
public class InterleavingTests(ITestOutputHelper output)
{
    /// <summary>Scenarios small enough to explore without the reduction.</summary>
    public static TheoryData<string, string> Small => new()
    {
        { "lock-free", "write-reclaim-writeback" }, { "lock-free", "three-threads" }, { "lock-free", "two-pages" },
        { "torn-cas", "write-reclaim-writeback" }, { "lost-release", "write-reclaim-writeback" },
    };

    static readonly Dictionary<string, ConcurrentScenario> SmallScenarios = new()
    {
        ["write-reclaim-writeback"] = Scenario(["Pr d=0 mem=10 disk=10 want=⊥⊥"], ["p0 write(0)=2", "p0 read(0)"], ["p0 host reclaim", "p0 writeback"]),
        ["three-threads"] = Scenario(["Sp d=0 mem=10 disk=00 want=⊥⊥"], ["p0 write(1)=2"], ["p0 read(0)"], ["p0 host reclaim"]),
        ["two-pages"] = Scenario(["Sz d=0 mem=00 disk=00 want=⊥⊥", "Sr d=1 mem=12 disk=00 want=⊥⊥"],
            ["p0 write(0)=1", "p1 writeback"], ["p1 write(1)=1", "p0 read(0)"]),
    };

    /// <summary>
    /// Every outcome (the operations' results, the final words and cells, the verdict) that some interleaving has, some
    /// execution of the reduced search has: the reduction only skips orders of accesses that commute.
    /// </summary>
    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(Small))]
    public void TheReductionLosesNoOutcome(string table, string scenario)
    {
        var outcomes = new Dictionary<Reduction, HashSet<string>>();
        foreach (var reduction in new[] { Reduction.PartialOrder, Reduction.None })
        {
            var seen = outcomes[reduction] = [];
            using var scheduler = new Scheduler(SmallScenarios[scenario].Threads.Length);
            var found = Explorer.Explore(scheduler, () => new TableExecution(SmallScenarios[scenario], ScheduledTables.ByName[table].Create),
                reduction, observe: (e, r) => seen.Add($"{r.Verdict} {((TableExecution)e).Outcome()}"));
            Assert.True(found.Complete);
            output.WriteLine($"{reduction}: {found.Executions:N0} executions, {seen.Count} outcomes");
        }
        Assert.Equal(outcomes[Reduction.None].Order(), outcomes[Reduction.PartialOrder].Order());
    }

    /// <summary>The same code over memories broken on purpose: each fails, minimally, and the saved schedule replays.</summary>
    [Theory]
    [InlineData("torn-cas", "discard-p-write", Verdict.Violation)]
    [InlineData("lost-release", "write-writeback-swap-out", Verdict.Deadlock)]
    [InlineData("failing-cas", "set-ops-evict", Verdict.Livelock)]
    public void BrokenTablesFailWithASchedule(string table, string scenario, Verdict verdict)
    {
        var found = ScenarioSearch.Explore(Scenarios.All[scenario], ScheduledTables.ByName[table]);
        var failure = Assert.IsType<ExecutionResult>(found.Failure);
        Assert.Equal(verdict, failure.Verdict);
        var minimal = ScenarioSearch.Minimize(Scenarios.All[scenario], ScheduledTables.ByName[table], failure);
        Assert.InRange(minimal.Schedule.ContextSwitches, 0, failure.Schedule.ContextSwitches);
        var file = ScheduleFile.Of(ScheduledTables.ByName[table], Scenarios.All[scenario], minimal);
        string path = Path.Combine(Path.GetTempPath(), $"pagehint-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, file.ToJson());
            var read = ScheduledTables.Read(path);
            Assert.Equal(file.ToJson(), read.ToJson());
            var again = read.Replay();
            Assert.Equal((minimal.Verdict, minimal.Message), (again.Verdict, again.Message));
            Assert.Equal(minimal.Trace, again.Trace);
        }
        finally { File.Delete(path); }
        output.WriteLine(ScenarioSearch.Describe(table, scenario, minimal, failure));
    }

    [Fact]
    public void AFailingInterleavingIsDrawnWithAColumnPerThread()
    {
        var file = ScheduledTables.Read(Path.Combine(ScheduleFolderTests.Folder, "torn-cas-discard-p-write.json"));
        string table = InterleavingTable.Format(file.Replay());
        string[] lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("| thread 0 ", lines[1]);
        Assert.Contains("| thread 1 ", lines[1]);
        // Every row has a cell per thread, and only one of them filled.
        Assert.All(lines.Skip(3).SkipLast(1), row => Assert.Equal(3, row.Count(c => c == '|')));
        Assert.Contains(lines, row => row.StartsWith("| p0 write(0)=2"));
        // The torn compare-and-swap is a load and a store.
        Assert.Contains(lines, row => row.StartsWith("|   store p0 word := Pr d=1 pinned"));
    }
}
