namespace PageHintVerify.Engine;

/// <summary>
/// Gives a search's garbage back while it runs. A level leaves behind its frontier and its chunks' candidates, and its
/// merge the old slots of each segment it rebuilds, all large objects, which the runtime frees only in a full
/// collection; left to itself it let that garbage grow to about what the search held before collecting, so a process
/// peaked at two to four times the memory the search held (a process's peak is what a budget and a machine must
/// hold). A full collection costs little here: the search's heap is a few thousand arrays of plain values, with
/// nothing in them to trace. Measurements in docs/performance.md.
/// </summary>
sealed class LevelGarbage
{
    /// <summary>Garbage always allowed, so that small searches (the tests run thousands) rarely collect.</summary>
    const long MinimumGarbage = 32L << 20;

    readonly Lock _gate = new();
    long _allocatedAtLast = GC.GetTotalAllocatedBytes();

    /// <summary>Full collections this instance made.</summary>
    public int Collections { get; private set; }

    /// <summary>Collects when the bytes allocated since the last collection pass an eighth of <paramref name="held"/>
    /// (what the search keeps: its store) or 32 MiB, whichever is more. Any thread may call it.</summary>
    public void Collect(long held)
    {
        long allowed = Math.Max(MinimumGarbage, held / 8);
        if (GC.GetTotalAllocatedBytes() - Volatile.Read(ref _allocatedAtLast) < allowed) return;
        lock (_gate)
        {
            if (GC.GetTotalAllocatedBytes() - _allocatedAtLast < allowed) return;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: false);
            Volatile.Write(ref _allocatedAtLast, GC.GetTotalAllocatedBytes());
            Collections++;
        }
    }
}
