using System.Diagnostics;
using System.Runtime.CompilerServices;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// <c>pagehint bench-table</c>: operations per second of the lock-free page table against the lock-based one, on 1 and 2
/// threads, with a fixed operation mix over a shared set of pages. Informational only: nothing asserts on the numbers.
/// </summary>
public sealed class BenchTableCommand : ICommand
{
    public string Name => "bench-table";
    public string Summary => "operations per second: lock-free vs lock-based page table, 1 and 2 threads";
    public string Help => """
        usage: pagehint bench-table [--seconds N] [--pages N]

        Runs a fixed mix of SPEC section 3 operations (reads, writes, usage-state changes, writeback, host reclaim) on
        random pages of a shared table, for N seconds per table and thread count (default 2), over --pages pages
        (default 1024; fewer pages mean more contention). Prints operations per second.
        """;

    /// <summary>The operation mix, one entry per share: mostly reads and writes, as a page cache does.</summary>
    static readonly PageOp[] Mix =
    [
        new(Operation.Read, 0), new(Operation.Read, 1), new(Operation.Read, 0), new(Operation.Read, 1),
        new(Operation.Read, 0), new(Operation.Read, 1), new(Operation.Write, 0), new(Operation.Write, 1),
        new(Operation.Write, 0), new(Operation.SetStable), new(Operation.SetStableIfPresent),
        new(Operation.SetVolatile), new(Operation.SetVolatileWritable), new(Operation.Writeback),
        new(Operation.HostReclaim), new(Operation.HostReclaim), new(Operation.SetUnused), new(Operation.Reload),
    ];

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        var duration = TimeSpan.FromSeconds(args.Int("--seconds", 1, 60) ?? 2);
        int pages = args.Int("--pages", 1, 1 << 20) ?? 1024;
        args.RejectUnknown();
        output.WriteLine($"{Mix.Length}-operation mix over {Format.Count(pages, "page")}, {duration.TotalSeconds:0} s per run");
        output.WriteLine($"{"table",-10} {"threads",7} {"ops/s",14}");
        foreach (int threads in new[] { 1, 2 })
            foreach (var (name, create) in Tables)
            {
                double rate = Measure(create(pages), threads, duration);
                output.WriteLine($"{name,-10} {threads,7} {rate,14:N0}");
            }
        return CommandLine.Ok;
    }

    static readonly (string Name, Func<int, PageStateTable> Create)[] Tables =
    [
        ("lock-free", n => new LockFreePageTable(n)),
        ("locked", n => new LockedPageTable(n)),
    ];

    static double Measure(PageStateTable table, int threads, TimeSpan duration)
    {
        var stop = new StrongBox<bool>(false);
        var counts = new long[threads];
        using var start = new Barrier(threads + 1);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            counts[t] = Drive(table, (uint)(t + 1) * 2654435761u, stop);
        })).ToArray();
        foreach (var w in workers) w.Start();
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        Thread.Sleep(duration);
        Volatile.Write(ref stop.Value, true);
        foreach (var w in workers) w.Join();
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }

    /// <summary>One thread's loop: xorshift picks the page and the operation; returns how many it ran.</summary>
    static long Drive(PageStateTable table, uint seed, StrongBox<bool> stop)
    {
        Span<byte> disk = stackalloc byte[PageState.Cells];
        uint x = seed | 1;
        long done = 0;
        while (!Volatile.Read(ref stop.Value))
            for (int i = 0; i < 1024; i++, done++)
            {
                x ^= x << 13; x ^= x >> 17; x ^= x << 5;
                var op = Mix[(x >> 16) % (uint)Mix.Length];
                table.Apply((int)((x & 0xFFFF) % (uint)table.PageCount), op, 1, disk);
            }
        return done;
    }

}
