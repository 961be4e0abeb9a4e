using PageHintVerify.Schedules;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// Explores one scenario on a named table. A failure is minimized to the fewest context switches, saved as a schedule
/// file (in the temporary folder: copy it to <c>schedules/</c> to replay it in every test run) and reported with the
/// interleaving drawn as a table, one column per thread.
/// </summary>
public static class ScenarioSearch
{
    public static string SaveFolder => Path.Combine(Path.GetTempPath(), "pagehint-schedules");

    public static SearchResult Explore(ConcurrentScenario scenario, string table = "lock-free",
        Reduction reduction = Reduction.PartialOrder, long maxExecutions = long.MaxValue)
    {
        using var scheduler = new Scheduler(scenario.Threads.Length);
        return Explorer.Explore(scheduler, () => new TableExecution(scenario, ScheduledTables.ByName[table]), reduction, maxExecutions);
    }

    /// <summary>The failure with the fewest context switches that fails the same way.</summary>
    public static ExecutionResult Minimize(ConcurrentScenario scenario, string table, ExecutionResult failure)
    {
        using var scheduler = new Scheduler(scenario.Threads.Length);
        return Explorer.Minimize(scheduler, () => new TableExecution(scenario, ScheduledTables.ByName[table]), failure,
            other => other.Verdict == failure.Verdict && (failure.Verdict != Verdict.Violation || other.Message == failure.Message));
    }

    /// <summary>Minimizes, saves and describes a failure.</summary>
    public static string Report(string name, ConcurrentScenario scenario, string table, ExecutionResult failure)
    {
        var minimal = Minimize(scenario, table, failure);
        Directory.CreateDirectory(SaveFolder);
        string path = Path.Combine(SaveFolder, $"{table}-{name}.json");
        File.WriteAllText(path, ScheduleFile.Of(table, scenario, minimal).ToJson());
        ScheduleChart.Write(Path.ChangeExtension(path, ".svg"), $"{table}, scenario {name}", scenario.Initial, minimal);
        return Describe(table, name, minimal, failure) + $"saved to {path}, drawn in {Path.ChangeExtension(path, ".svg")}\n";
    }

    /// <summary>What went wrong, the schedule (its context switches, and those of the failure first found), the interleaving.</summary>
    public static string Describe(string table, string name, ExecutionResult minimal, ExecutionResult found) =>
        $"{table}, scenario {name}: {minimal.Verdict}: {minimal.Message}\n" +
        $"schedule {minimal.Schedule} ({minimal.Schedule.ContextSwitches} context switches; " +
        $"{found.Schedule.ContextSwitches} in the failure first found)\n" +
        InterleavingTable.Format(minimal);

    /// <summary>Explores and fails the test with <see cref="Report"/> at the first failing execution.</summary>
    public static SearchResult AssertPasses(string name, ConcurrentScenario scenario, string table = "lock-free")
    {
        var found = Explore(scenario, table);
        if (found.Failure is { } failure) throw new Xunit.Sdk.XunitException(Report(name, scenario, table, failure));
        return found;
    }
}
