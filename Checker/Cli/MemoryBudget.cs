using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// <c>--max-memory</c>: a bound on the whole process's peak resident memory, kept by the garbage collector. What the
/// process holds outside the managed heap when the budget is applied (the runtime, its code) is measured and set aside
/// with <see cref="Headroom"/> for what grows there later; the rest becomes the heap's hard limit (GCHeapHardLimit, set
/// at run time), which counts everything a search allocates (store, step table, level buffers, garbage not yet
/// collected). The allocation that would pass it fails, and the search stops there with its partial statistics.
/// Disposing lifts the limit again.
/// </summary>
public sealed class MemoryBudget : IDisposable
{
    /// <summary>Room for what grows outside the heap during a search: the worker threads' stacks, code compiled on
    /// first use, the collector's own bookkeeping.</summary>
    const long Headroom = 12L << 20;
    /// <summary>The least heap a search is given beyond what is already allocated.</summary>
    const long MinimumHeap = 8L << 20;
    const string Setting = "GCHeapHardLimit";

    readonly object? _previous;
    readonly bool _set;

    /// <summary>The budget for the whole process, in bytes.</summary>
    public long Bytes { get; }

    MemoryBudget(long bytes, object? previous, bool set) => (Bytes, _previous, _set) = (bytes, previous, set);

    /// <summary>
    /// Limits the heap so that the process stays within <paramref name="bytes"/>; refuses a budget below what the process
    /// already needs. A budget above what the collector already counts on (the machine's or the container's memory)
    /// changes nothing.
    /// </summary>
    public static MemoryBudget Apply(long bytes)
    {
        var gc = GC.GetGCMemoryInfo();
        long committed = gc.TotalCommittedBytes;
        long outside = Math.Max(0, Environment.WorkingSet - committed);
        long heap = bytes - outside - Headroom, minimum = outside + Headroom + committed + MinimumHeap;
        var tooSmall = new UsageException($"--max-memory {Format.Bytes(bytes)} is below what the process needs before it searches: give at least {(minimum + (1 << 20) - 1) >> 20}M");
        if (bytes < minimum) throw tooSmall;
        var previous = AppContext.GetData(Setting);
        if (heap >= gc.TotalAvailableMemoryBytes) return new MemoryBudget(bytes, previous, set: false);
        AppContext.SetData(Setting, (ulong)heap);
        try { GC.RefreshMemoryLimit(); }
        catch (InvalidOperationException)
        {
            // The heap grew past the limit since it was measured.
            AppContext.SetData(Setting, previous);
            throw tooSmall;
        }
        return new MemoryBudget(bytes, previous, set: true);
    }

    public void Dispose()
    {
        if (!_set) return;
        AppContext.SetData(Setting, _previous ?? 0UL);
        GC.RefreshMemoryLimit();
    }
}
