using PageHintVerify.Schedules;
using Xunit;

namespace PageHintVerify.Properties.Schedules;

/// <summary>The scheduler and the search on programs small enough to count their executions by hand.</summary>
[Trait("Category", "Interleavings")]
public class SchedulerTests
{
    /// <summary>Each thread runs <paramref name="body"/> on a shared array of words; the check says what is wrong.</summary>
    sealed class Program(int words, Action<ulong[], int> body, Func<ulong[], string?>? check = null) : IExecution
    {
        public readonly ulong[] Memory = new ulong[words];
        public void Register(SharedLocations locations) => locations.Add(Memory, i => $"x{i}");
        public void Run(int thread) => body(Memory, thread);
        public string? Check(ExecutionResult execution) => check?.Invoke(Memory);
    }

    static void Increment(ulong[] memory, int thread)
    {
        Scheduler.BeginOperation("increment");
        ulong seen = ScheduledMemory.Load(ref memory[0]);
        ScheduledMemory.Release(ref memory[0], seen + 1);
        Scheduler.EndOperation($"{seen}");
    }

    [Fact]
    public void ALostUpdateIsFoundAndReplays()
    {
        using var scheduler = new Scheduler(2);
        Func<IExecution> create = () => new Program(1, Increment, m => m[0] == 2 ? null : $"x0 = {m[0]}");
        var found = Explorer.Explore(scheduler, create);
        var failure = Assert.IsType<ExecutionResult>(found.Failure);
        Assert.Equal((Verdict.Violation, "x0 = 1"), (failure.Verdict, failure.Message));
        var again = Explorer.Replay(scheduler, create(), failure.Schedule);
        Assert.Equal((Verdict.Violation, "x0 = 1"), (again.Verdict, again.Message));
        Assert.Equal(failure.Trace, again.Trace);
    }

    [Fact]
    public void ConflictingOrdersAreEachExploredOnce()
    {
        // Two load-then-store increments: the orders of the conflicting accesses give 2 serial executions and the
        // 2 that lose an update (a load of each before either store), 4 in all; without the reduction, C(4,2) = 6.
        var outcomes = new Dictionary<Reduction, List<ulong>>();
        foreach (var reduction in new[] { Reduction.PartialOrder, Reduction.None })
        {
            using var scheduler = new Scheduler(2);
            outcomes[reduction] = [];
            var found = Explorer.Explore(scheduler, () => new Program(1, Increment), reduction,
                observe: (e, _) => outcomes[reduction].Add(((Program)e).Memory[0]));
            Assert.True(found.Complete);
        }
        Assert.Equal(new ulong[] { 1, 1, 2, 2 }, outcomes[Reduction.PartialOrder].Order().ToArray());
        Assert.Equal(6, outcomes[Reduction.None].Count);
    }

    [Fact]
    public void IndependentAccessesAreNotPermuted()
    {
        // Each thread writes its own word three times and reads it back: nothing conflicts, so one execution stands
        // for all C(8,4) = 70 interleavings.
        static void Own(ulong[] memory, int thread)
        {
            for (ulong i = 1; i <= 3; i++) ScheduledMemory.Release(ref memory[thread], i);
            ScheduledMemory.Load(ref memory[thread]);
        }
        using var scheduler = new Scheduler(2);
        Assert.Equal(1, Explorer.Explore(scheduler, () => new Program(2, Own)).Executions);
        Assert.Equal(70, Explorer.Explore(scheduler, () => new Program(2, Own), Reduction.None).Executions);
    }

    [Fact]
    public void AWaitNobodyEndsIsADeadlock()
    {
        // Thread 0 waits for a write to x0 that only thread 1 would make, after its own wait for x1, which thread 0 never writes.
        static void WaitFor(ulong[] memory, int thread)
        {
            var spinner = new SpinWait();
            ScheduledMemory.Wait(ref memory[1 - thread], ref spinner);
            ScheduledMemory.Load(ref memory[1 - thread]);
            ScheduledMemory.Release(ref memory[thread], 1);
        }
        using var scheduler = new Scheduler(2);
        var failure = Explorer.Explore(scheduler, () => new Program(2, WaitFor)).Failure;
        Assert.Equal(Verdict.Deadlock, failure?.Verdict);
        Assert.Equal("every thread that has not returned waits: thread 0 for a write to x1, thread 1 for a write to x0", failure?.Message);
    }

    [Fact]
    public void AWaitEndsWithTheWrite()
    {
        // Thread 0 waits until thread 1 has written x0, whichever runs first: never a deadlock.
        static void Handshake(ulong[] memory, int thread)
        {
            var spinner = new SpinWait();
            if (thread == 1) ScheduledMemory.Release(ref memory[0], 1);
            else
                while (ScheduledMemory.Load(ref memory[0]) == 0) ScheduledMemory.Wait(ref memory[0], ref spinner);
        }
        using var scheduler = new Scheduler(2);
        var found = Explorer.Explore(scheduler, () => new Program(1, Handshake));
        Assert.Null(found.Failure);
        Assert.Equal(2, found.Executions);
    }

    [Fact]
    public void ALoopWithoutEndIsALivelock()
    {
        static void Spin(ulong[] memory, int thread)
        {
            if (thread == 1) return;
            while (ScheduledMemory.Load(ref memory[0]) == 0) { }
        }
        using var scheduler = new Scheduler(2, maxAccessesPerThread: 50);
        var failure = Explorer.Explore(scheduler, () => new Program(1, Spin)).Failure;
        Assert.Equal(Verdict.Livelock, failure?.Verdict);
        Assert.Equal("thread 0 made more than 50 accesses: it retries or loops without end", failure?.Message);
    }

    [Fact]
    public void AThrowingThreadIsACrashAndTheOthersUnwind()
    {
        static void Throw(ulong[] memory, int thread)
        {
            ScheduledMemory.Load(ref memory[0]);
            if (thread == 0) throw new InvalidOperationException("boom");
            ScheduledMemory.Release(ref memory[0], 1);
        }
        using var scheduler = new Scheduler(2);
        var failure = Explorer.Explore(scheduler, () => new Program(1, Throw)).Failure;
        Assert.Equal((Verdict.Crash, "thread 0 threw InvalidOperationException: boom"), (failure?.Verdict, failure?.Message));
        // The scheduler is still usable: the unwound thread took its next execution.
        Assert.Equal(Verdict.Passed, Explorer.Explore(scheduler, () => new Program(1, Increment)).Failure?.Verdict ?? Verdict.Passed);
    }

    [Fact]
    public void MinimizationFindsTheFewestContextSwitches()
    {
        // The lost update needs both loads before either store: at least two switches (0 1 0 1 or 0 1 1 0 ...).
        using var scheduler = new Scheduler(2);
        Func<IExecution> create = () => new Program(1, Increment, m => m[0] == 2 ? null : "lost");
        var failure = Explorer.Explore(scheduler, create).Failure!;
        var minimal = Explorer.Minimize(scheduler, create, failure, f => f.Message == "lost");
        Assert.Equal(2, minimal.Schedule.ContextSwitches);
        Assert.Equal("0x1 1x2 0x1", minimal.Schedule.ToString());
    }

    [Fact]
    public void AScheduleThatDoesNotFitIsADivergence()
    {
        using var scheduler = new Scheduler(2);
        var program = () => new Program(1, Increment);
        Assert.Equal("at access 2 the schedule picks thread 0, which has returned",
            Explorer.Replay(scheduler, program(), Schedule.Parse("0x3 1x1", 2, out _)!).Message);
        Assert.Equal("the schedule ends after 2 accesses, before every thread returned",
            Explorer.Replay(scheduler, program(), Schedule.Parse("0x2", 2, out _)!).Message);
        Assert.Equal("the execution ended after 4 accesses; the schedule has 5",
            Explorer.Replay(scheduler, program(), Schedule.Parse("0x2 1x3", 2, out _)!).Message);
    }

    [Theory]
    [InlineData("0x2 1x1 0x3", null, "0x2 1x1 0x3", 2)]
    [InlineData("0x5", null, "0x5", 0)]
    [InlineData("0x", "'0x' is not a run THREADxACCESSES such as 0x5", null, 0)]
    [InlineData("2x1", "'2x1' names thread 2, but there are 2 threads", null, 0)]
    [InlineData("1x0", "'1x0' is not a run THREADxACCESSES such as 0x5", null, 0)]
    public void SchedulesReadAsTheyAreWritten(string text, string? error, string? written, int switches)
    {
        var schedule = Schedule.Parse(text, 2, out var wrong);
        Assert.Equal(error, wrong);
        Assert.Equal(written, schedule?.ToString());
        if (schedule is not null) Assert.Equal(switches, schedule.ContextSwitches);
    }
}
