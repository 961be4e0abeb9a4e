using FsCheck;
using FsCheck.Fluent;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using Xunit;

namespace PageHintVerify.TestKit;

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

/// <summary>What a run of a scenario on real threads saw at the seam: compare-and-swaps that lost a race, waits on a pinned page.</summary>
public readonly record struct SeamCounts(long LostCompareExchanges, long Waits)
{
    public static SeamCounts operator +(SeamCounts a, SeamCounts b) => new(a.LostCompareExchanges + b.LostCompareExchanges, a.Waits + b.Waits);
}

/// <summary>
/// A table under 2–4 real threads over <see cref="NoisyMemory"/>, whose noise at each access makes the operations
/// overlap: every run's history must be linearizable, page by page, against the reference model, by an order that ends
/// in the table's final state. Few pages and short bursts started together make the threads collide.
/// </summary>
public static class ConcurrentRuns
{
    public const int Cases = 1000, MaxOpsPerThread = 6;
    /// <summary>Nodes a page's linearizability check may explore; past it the case is undecided, not passed.</summary>
    public const long Budget = 200_000;
    static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public static Gen<ConcurrentScenario> Scenarios =>
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

    public static IEnumerable<ConcurrentScenario> Shrink(ConcurrentScenario s)
    {
        for (int t = 0; t < s.Threads.Length; t++)
            for (int i = 0; i < s.Threads[t].Length; i++)
            {
                var threads = (ThreadOp[][])s.Threads.Clone();
                threads[t] = [.. s.Threads[t][..i], .. s.Threads[t][(i + 1)..]];
                yield return s with { Threads = threads };
            }
    }

    /// <summary>
    /// <see cref="Cases"/> scenarios on tables from <paramref name="create"/> (over <see cref="NoisyMemory"/>): throws at
    /// the first non-linearizable history with the seed that replays it, and when fewer than half the cases overlapped or no
    /// compare-and-swap ever lost a race (the run tested no contention). Returns what it saw, to print.
    /// </summary>
    public static string AssertLinearizable(Func<IReadOnlyList<PageState>, PageStateTable> create)
    {
        var seam = new SeamCounts();
        int cases = 0, overlapping = 0, undecided = 0;
        FsCheckSeed.Check(Prop.ForAll(Arb.From(Scenarios, Shrink), scenario =>
        {
            var table = create(scenario.Initial);
            var (history, counts) = Run(table, scenario);
            seam += counts;
            cases++;
            if (Overlaps(history)) overlapping++;
            var (verdict, problem) = CheckPages(table, scenario, history);
            if (verdict == Linearization.Undecided) undecided++;
            if (problem is not null) throw new Xunit.Sdk.XunitException(problem);
        }), Cases);
        string seen = $"{cases} cases: {overlapping} ({100.0 * overlapping / cases:0}%) with operations overlapping in time, " +
                      $"{undecided} undecided (a page's check over budget); {seam.LostCompareExchanges} compare-and-swaps lost a race, " +
                      $"{seam.Waits} waits on a pinned page";
        Assert.True(seam.LostCompareExchanges > 0, $"no compare-and-swap ever lost a race: the test exercised no contention ({seen})");
        Assert.True(2 * overlapping >= cases, $"only {overlapping} of {cases} cases had two operations overlapping in time ({seen})");
        return seen;
    }

    /// <summary>Whether two operations' invocation-to-response intervals intersect.</summary>
    public static bool Overlaps(IReadOnlyList<HistoryEvent> history) =>
        history.Any(a => history.Any(b => a.Thread < b.Thread && a.Invoked < b.Returned && b.Invoked < a.Returned));

    /// <summary>
    /// Every page's history, checked against the quiescent table; the first problem, and whether some page was undecided.
    /// </summary>
    public static (Linearization Verdict, string? Problem) CheckPages(PageStateTable table, ConcurrentScenario scenario,
        IReadOnlyList<HistoryEvent> history)
    {
        var verdict = Linearization.Found;
        for (int page = 0; page < scenario.Initial.Length; page++)
        {
            var events = history.Where(e => e.Page == page).ToArray();
            var (v, problem) = Linearizability.CheckPage(table, page, scenario.Initial[page], events, Budget);
            if (problem is not null) return (v, $"{problem}, from {scenario.Initial[page]}:\n  {string.Join("\n  ", events)}");
            if (v == Linearization.Undecided) verdict = v;
        }
        return (verdict, null);
    }

    /// <summary>
    /// Runs each thread's operations on the table, started together, and records the history and what the threads saw at
    /// the seam. Each thread's noise (if the table runs on <see cref="NoisyMemory"/>) is seeded from the scenario's text and
    /// the thread's number.
    /// </summary>
    public static (HistoryEvent[] History, SeamCounts Seam) Run(PageStateTable table, ConcurrentScenario scenario)
    {
        int n = scenario.Threads.Length, ready = 0;
        long clock = 0;
        int seed = StableHash(scenario.ToString());
        var events = new HistoryEvent[n][];
        var counts = new SeamCounts[n];
        var failures = new Exception?[n];
        using var barrier = new Barrier(n);
        var threads = Enumerable.Range(0, n).Select(t => new Thread(() =>
        {
            try
            {
                NoisyMemory.Seed(seed + t);
                barrier.SignalAndWait();
                // A spin start on top of the barrier: the threads leave it within a few hundred nanoseconds of each other.
                Interlocked.Increment(ref ready);
                var spinner = new SpinWait();
                while (Volatile.Read(ref ready) < n) spinner.SpinOnce(sleep1Threshold: -1);
                events[t] = RunThread(table, t, scenario.Threads[t], ref clock);
                counts[t] = NoisyMemory.Counts;
            }
            catch (Exception e) { failures[t] = e; }
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads)
            if (!thread.Join(Hang)) throw new Xunit.Sdk.XunitException($"a thread did not finish within {Hang}: a hang");
        if (failures.FirstOrDefault(f => f is not null) is { } failure) throw failure;
        return (events.SelectMany(e => e).ToArray(), counts.Aggregate((a, b) => a + b));
    }

    /// <summary>FNV-1a: string.GetHashCode differs from run to run.</summary>
    static int StableHash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text) hash = (hash ^ c) * 16777619;
        return (int)hash;
    }

    static HistoryEvent[] RunThread(PageStateTable table, int thread, ThreadOp[] ops, ref long clock)
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
