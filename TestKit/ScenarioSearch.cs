using PageHintVerify.Model;
using PageHintVerify.Schedules;

namespace PageHintVerify.TestKit;

/// <summary>
/// Explores one scenario on a table. A failure is minimized to the fewest context switches, saved as a schedule file (in
/// the temporary folder, to replay with <see cref="ScheduleFile"/>; the project keeps its own under <c>schedules/</c>,
/// which every test run replays) and reported with the interleaving drawn as a table, one column per thread.
/// </summary>
public static class ScenarioSearch
{
    public static string SaveFolder => Path.Combine(Path.GetTempPath(), "pagehint-schedules");

    public static SearchResult Explore(ConcurrentScenario scenario, ScheduledTable table,
        Reduction reduction = Reduction.PartialOrder, long maxExecutions = long.MaxValue)
    {
        using var scheduler = new Scheduler(scenario.Threads.Length);
        return Explorer.Explore(scheduler, () => new TableExecution(scenario, table.Create), reduction, maxExecutions);
    }

    /// <summary>The failure with the fewest context switches that fails the same way.</summary>
    public static ExecutionResult Minimize(ConcurrentScenario scenario, ScheduledTable table, ExecutionResult failure)
    {
        using var scheduler = new Scheduler(scenario.Threads.Length);
        return Explorer.Minimize(scheduler, () => new TableExecution(scenario, table.Create), failure,
            other => other.Verdict == failure.Verdict && (failure.Verdict != Verdict.Violation || other.Message == failure.Message));
    }

    /// <summary>
    /// Draws a failure as a picture beside its file: the SVG's path, a title, the scenario's pages, the failing execution
    /// (the project's sequence chart lives in the checker, which the kit does not reference).
    /// </summary>
    public delegate void Drawing(string path, string title, IReadOnlyList<PageState> initial, ExecutionResult failure);

    /// <summary>Minimizes, saves (and, given <paramref name="draw"/>, draws) and describes a failure.</summary>
    public static string Report(string name, ConcurrentScenario scenario, ScheduledTable table, ExecutionResult failure,
        Drawing? draw = null)
    {
        var minimal = Minimize(scenario, table, failure);
        Directory.CreateDirectory(SaveFolder);
        string path = Path.Combine(SaveFolder, $"{table.Name}-{name}.json");
        File.WriteAllText(path, ScheduleFile.Of(table, scenario, minimal).ToJson());
        string drawn = "";
        if (draw is not null)
        {
            draw(Path.ChangeExtension(path, ".svg"), $"{table.Name}, scenario {name}", scenario.Initial, minimal);
            drawn = $", drawn in {Path.ChangeExtension(path, ".svg")}";
        }
        return Describe(table.Name, name, minimal, failure) + $"saved to {path}{drawn}\n";
    }


    /// <summary>What went wrong, the schedule (its context switches, and those of the failure first found), the interleaving.</summary>
    public static string Describe(string table, string name, ExecutionResult minimal, ExecutionResult found) =>
        $"{table}, scenario {name}: {minimal.Verdict}: {minimal.Message}\n" +
        $"schedule {minimal.Schedule} ({minimal.Schedule.ContextSwitches} context switches; " +
        $"{found.Schedule.ContextSwitches} in the failure first found)\n" +
        InterleavingTable.Format(minimal);

    /// <summary>Explores and fails the test with <see cref="Report"/> at the first failing execution.</summary>
    public static SearchResult AssertPasses(string name, ConcurrentScenario scenario, ScheduledTable table, Drawing? draw = null)
    {
        var found = Explore(scenario, table);
        if (found.Failure is { } failure) throw new Xunit.Sdk.XunitException(Report(name, scenario, table, failure, draw));
        return found;
    }
}
