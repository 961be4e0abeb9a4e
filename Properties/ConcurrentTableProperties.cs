using FsCheck;
using FsCheck.Fluent;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using Xunit;
using Xunit.Abstractions;

namespace PageHintVerify.Properties;

/// <summary>One operation a thread will run, with a write's value and reload's disk.</summary>
public readonly record struct ThreadOp(int Page, PageOp Op, byte Value, (byte, byte) Disk)
{
    public override string ToString() => $"p{Page} {Op}{(Op.Op == Operation.Write ? $"={Value}" : "")}";
}

public sealed record ConcurrentScenario(PageState[] Initial, ThreadOp[][] Threads)
{
    public override string ToString() =>
        $"initial [{string.Join("; ", Initial)}], " +
        string.Join(" | ", Threads.Select((ops, t) => $"t{t}: {string.Join(", ", ops)}"));
}

/// <summary>
/// The lock-free table under 2–4 real threads: every run's history must be linearizable, page by page, against the
/// reference model. Few pages and short bursts started together make the threads collide; the run counts the retries.
/// </summary>
public class ConcurrentTableProperties(ITestOutputHelper output)
{
    const int Cases = 1000, MaxOpsPerThread = 6;
    static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    static Gen<ConcurrentScenario> Scenarios =>
        from pages in Gen.Frequency((3, Gen.Constant(1)), (1, Gen.Constant(2)))
        from initial in Gen.ArrayOf(PageTableArbitraries.StartingPage, pages)
        from threads in Gen.Choose(2, 4)
        from ops in Gen.ArrayOf(Gen.Choose(1, MaxOpsPerThread).SelectMany(n => Gen.ArrayOf(Op(pages), n)), threads)
        select new ConcurrentScenario(initial, ops);

    static Gen<ThreadOp> Op(int pages) =>
        from page in Gen.Choose(0, pages - 1)
        from op in Gen.Elements(PageOp.All)
        from value in Gen.Choose(1, 2)
        from d0 in Gen.Choose(0, 2)
        from d1 in Gen.Choose(0, 2)
        select new ThreadOp(page, op, (byte)value, ((byte)d0, (byte)d1));

    static IEnumerable<ConcurrentScenario> Shrink(ConcurrentScenario s)
    {
        for (int t = 0; t < s.Threads.Length; t++)
            for (int i = 0; i < s.Threads[t].Length; i++)
            {
                var threads = (ThreadOp[][])s.Threads.Clone();
                threads[t] = [.. s.Threads[t][..i], .. s.Threads[t][(i + 1)..]];
                yield return s with { Threads = threads };
            }
    }

    [Fact]
    public void HistoriesAreLinearizablePerPage()
    {
        var contention = new Contention();
        Prop.ForAll(Arb.From(Scenarios, Shrink), scenario =>
        {
            var table = new LockFreePageTable(scenario.Initial);
            var history = Run(table, scenario);
            var c = table.Contention;
            contention = new(contention.CasFailures + c.CasFailures, contention.ReadRetries + c.ReadRetries,
                contention.PinWaits + c.PinWaits);
            for (int page = 0; page < scenario.Initial.Length; page++)
            {
                var events = history.Where(e => e.Page == page).ToArray();
                if (!Linearizability.Check(scenario.Initial[page], events))
                    throw new Xunit.Sdk.XunitException(
                        $"page {page} from {scenario.Initial[page]} is not linearizable:\n  {string.Join("\n  ", events)}");
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(Cases));
        output.WriteLine($"{Cases} cases: {contention.CasFailures} CAS retries, {contention.ReadRetries} read retries, " +
                         $"{contention.PinWaits} waits on a pinned page");
        Assert.True(contention.CasFailures > 0, "no compare-and-swap ever lost a race: the test exercised no contention");
    }

    /// <summary>Runs each thread's operations on the table, started together, and records the history.</summary>
    static HistoryEvent[] Run(LockFreePageTable table, ConcurrentScenario scenario)
    {
        int n = scenario.Threads.Length, ready = 0;
        long clock = 0;
        var events = new HistoryEvent[n][];
        var failures = new Exception?[n];
        using var barrier = new Barrier(n);
        var threads = Enumerable.Range(0, n).Select(t => new Thread(() =>
        {
            try
            {
                barrier.SignalAndWait();
                // A spin start on top of the barrier: the threads leave it within a few hundred nanoseconds of each other.
                Interlocked.Increment(ref ready);
                var spinner = new SpinWait();
                while (Volatile.Read(ref ready) < n) spinner.SpinOnce(sleep1Threshold: -1);
                events[t] = RunThread(table, t, scenario.Threads[t], ref clock);
            }
            catch (Exception e) { failures[t] = e; }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads)
            if (!thread.Join(Hang)) throw new Xunit.Sdk.XunitException($"a thread did not finish within {Hang}: a hang");
        if (failures.FirstOrDefault(f => f is not null) is { } failure) throw failure;
        return events.SelectMany(e => e).ToArray();
    }

    static HistoryEvent[] RunThread(LockFreePageTable table, int thread, ThreadOp[] ops, ref long clock)
    {
        var events = new HistoryEvent[ops.Length];
        Span<byte> disk = stackalloc byte[PageState.Cells];
        for (int i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            (disk[0], disk[1]) = op.Op.Op == Operation.Reload ? op.Disk : (HistoryEvent.NotCopied, HistoryEvent.NotCopied);
            long invoked = Interlocked.Increment(ref clock);
            var result = table.Apply(op.Page, op.Op, op.Value, disk);
            long returned = Interlocked.Increment(ref clock);
            var copied = op.Op.Op == Operation.Writeback ? (disk[0], disk[1]) : (HistoryEvent.NotCopied, HistoryEvent.NotCopied);
            events[i] = new HistoryEvent(thread, op.Page, op.Op, op.Value, op.Disk, invoked, returned, result, copied);
        }
        return events;
    }
}
