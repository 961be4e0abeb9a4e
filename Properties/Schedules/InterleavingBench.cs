using PageHintVerify.PageTable;
using PageHintVerify.Schedules;
using PageHintVerify.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// What the reduction saves, printed (never asserted): for a 2 threads × 3 operations and two 3 × 2 scenarios, the
/// executions the reduced search runs (all of them) and the ones the full search runs, up to a cap
/// (<c>PAGEHINT_UNREDUCED_CAP</c>, default 20,000: the full searches run to millions), with executions per second.
/// Run with <c>dotnet test --filter Category=InterleavingsBench --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "InterleavingsBench")]
[Trait("Category", "Slow")]
public class InterleavingBench(ITestOutputHelper output)
{
    [Theory]
    [InlineData("write-writeback-swap-out")]
    [InlineData("three-two-pages")]
    [InlineData("three-readers")]
    public void ExecutionsWithAndWithoutTheReduction(string scenario)
    {
        long cap = long.TryParse(Environment.GetEnvironmentVariable("PAGEHINT_UNREDUCED_CAP"), out long c) && c > 0 ? c : 20_000;
        foreach (var reduction in new[] { Reduction.PartialOrder, Reduction.None })
        {
            var found = ScenarioSearch.Explore(Scenarios.All[scenario], ScheduledTables.ByName["lock-free"], reduction: reduction, maxExecutions: cap);
            Assert.Null(found.Failure);
            string count = found.Complete ? $"{found.Executions + found.Pruned:N0}" : $"more than {found.Executions + found.Pruned:N0} (cap)";
            output.WriteLine($"{scenario}, {(reduction == Reduction.None ? "no reduction" : "partial-order reduction")}: " +
                             $"{count} executions, {found.Elapsed.TotalSeconds:0.0} s, {found.ExecutionsPerSecond:N0} per second");
        }
    }

    /// <summary>
    /// How long a pin is held, in its holder's own accesses from the swap that pins to the store that unpins, over every
    /// execution of every chosen scenario: what a thread waiting on the pin waits for, however long the holder is
    /// descheduled. The pin is a per-page lock: waits on it are bounded in the holder's steps, not in time.
    /// </summary>
    [Fact]
    public void TheLongestPin()
    {
        int longest = 0;
        string where = "";
        foreach (var (name, scenario) in Scenarios.All)
        {
            using var scheduler = new Scheduler(scenario.Threads.Length);
            Explorer.Explore(scheduler, () => new TableExecution(scenario, ScheduledTables.ByName["lock-free"].Create),
                observe: (_, result) =>
                {
                    var trace = result.Trace;
                    for (int i = 0; i < trace.Count; i++)
                    {
                        var e = trace[i];
                        if (e.Access.Kind != AccessKind.CompareExchange || !e.Succeeded || !new PageWord(e.Written).Pinned) continue;
                        int held = 1;
                        for (int j = i + 1; j < trace.Count; j++)
                        {
                            if (trace[j].Thread != e.Thread) continue;
                            held++;
                            if (trace[j].Access.Kind == AccessKind.Release) break;
                        }
                        if (held > longest) (longest, where) = (held, $"{name}, schedule {result.Schedule}");
                    }
                });
        }
        output.WriteLine($"the longest pin: {longest} accesses of its holder, from the pinning swap to the release ({where})");
    }
}
