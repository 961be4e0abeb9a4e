using System.Diagnostics;

namespace PageHintVerify.Schedules;

/// <summary>Whether a search permutes accesses that commute.</summary>
public enum Reduction
{
    /// <summary>Dynamic partial-order reduction with sleep sets: one execution per order of the conflicting accesses.</summary>
    PartialOrder,
    /// <summary>Every interleaving of every access.</summary>
    None,
}

/// <summary>What a search did: how many executions it ran to the end, how many it cut short, the first failure.</summary>
/// <param name="Complete">Every execution within the bounds was explored (no failure stopped it, no cap was hit).</param>
public sealed record SearchResult(long Executions, long Pruned, ExecutionResult? Failure, bool Complete, TimeSpan Elapsed)
{
    public double ExecutionsPerSecond => (Executions + Pruned) / Math.Max(Elapsed.TotalSeconds, 1e-9);
}

/// <summary>Systematic exploration, replay and minimization of a program's schedules under a <see cref="Scheduler"/>.</summary>
public static class Explorer
{
    /// <summary>
    /// Explores every execution of the program (a fresh <see cref="IExecution"/> from <paramref name="create"/> each time),
    /// up to <paramref name="maxExecutions"/>, and stops at the first that fails unless <paramref name="observe"/> is given:
    /// then it sees every execution that ran to its end, failed or not, and the search goes on.
    /// </summary>
    public static SearchResult Explore(Scheduler scheduler, Func<IExecution> create, Reduction reduction = Reduction.PartialOrder,
        long maxExecutions = long.MaxValue, Action<IExecution, ExecutionResult>? observe = null) =>
        Search(scheduler, create, new SearchTree(reduction == Reduction.PartialOrder ? SearchTree.Policy.PartialOrder : SearchTree.Policy.Every),
            maxExecutions, _ => observe is null, observe);

    /// <summary>Runs the execution that <paramref name="schedule"/> fixes.</summary>
    public static ExecutionResult Replay(Scheduler scheduler, IExecution execution, Schedule schedule)
    {
        var result = scheduler.Run(execution, new Script(schedule));
        if (result.Verdict != Verdict.Diverged && result.Trace.Count != schedule.Threads.Count)
            return result with
            {
                Verdict = Verdict.Diverged,
                Message = $"the execution ended after {result.Trace.Count} accesses; the schedule has {schedule.Threads.Count}",
            };
        return result;
    }

    /// <summary>
    /// A failing execution with the fewest context switches that fails the same way (<paramref name="same"/>): every
    /// schedule with 0 switches is tried, then 1, and so on below the failure's own count, within <paramref name="budget"/>
    /// executions in all. Returns <paramref name="failure"/> when nothing shorter fails.
    /// </summary>
    public static ExecutionResult Minimize(Scheduler scheduler, Func<IExecution> create, ExecutionResult failure,
        Func<ExecutionResult, bool> same, long budget = 100_000)
    {
        for (int bound = 0; bound < failure.Schedule.ContextSwitches && budget > 0; bound++)
        {
            var found = Search(scheduler, create, new SearchTree(SearchTree.Policy.Bounded, bound), budget, same, null);
            if (found.Failure is { } shorter) return shorter;
            budget -= found.Executions + found.Pruned;
        }
        return failure;
    }

    static SearchResult Search(Scheduler scheduler, Func<IExecution> create, SearchTree tree, long maxExecutions,
        Func<ExecutionResult, bool> stopAt, Action<IExecution, ExecutionResult>? observe)
    {
        var clock = Stopwatch.StartNew();
        long executions = 0, pruned = 0;
        while (true)
        {
            var execution = create();
            var result = scheduler.Run(execution, tree);
            if (result.Verdict == Verdict.Diverged)
                throw new InvalidOperationException($"the program is not deterministic: {result.Message}");
            if (result.Verdict == Verdict.Pruned) pruned++;
            else
            {
                executions++;
                observe?.Invoke(execution, result);
            }
            if (result.Failed && stopAt(result)) return new(executions, pruned, result, false, clock.Elapsed);
            if (!tree.Backtrack()) return new(executions, pruned, null, true, clock.Elapsed);
            if (executions + pruned >= maxExecutions) return new(executions, pruned, null, false, clock.Elapsed);
        }
    }

    /// <summary>Follows a fixed schedule.</summary>
    sealed class Script(Schedule schedule) : IChooser
    {
        public int Choose(Scheduler state) => state.Step < schedule.Threads.Count ? schedule.Threads[state.Step] : -1;
    }
}
