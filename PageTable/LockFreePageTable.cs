using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>How often the lock-free table had to retry: the contention it saw.</summary>
/// <param name="CasFailures">Compare-and-swaps that lost to another thread and reloaded.</param>
/// <param name="ReadRetries">Optimistic reads whose word changed under them.</param>
/// <param name="PinWaits">Loads that found the page pinned by a thread mid-store.</param>
public readonly record struct Contention(long CasFailures, long ReadRetries, long PinWaits);

/// <summary>
/// The page table without locks: each operation loads the page's word, asks <see cref="CasAlgorithm.Plan"/> what to do,
/// and commits with a compare-and-swap, retrying from the load when another thread got there first. Work on the cells
/// (a write's data, zero-fill, a copy) happens while the committed word is pinned; nothing else commits on a pinned word,
/// so a host discard cannot lose a write. Reads of a resident page take no swap: they read the cell between two loads of
/// the word and retry if the word (its version) moved. Every shared-memory access goes through
/// <typeparamref name="TMemory"/>: <see cref="LockFreePageTable"/> runs on the hardware, a test scheduler on its own.
/// </summary>
public class LockFreePageTable<TMemory> : PageStateTable where TMemory : struct, IMemory
{
    long _casFailures, _readRetries, _pinWaits;

    public LockFreePageTable(int pages, Protocol? protocol = null) : base(pages, protocol) { }
    public LockFreePageTable(IReadOnlyList<PageState> pages, Protocol? protocol = null) : base(pages, protocol) { }

    public Contention Contention =>
        new(Interlocked.Read(ref _casFailures), Interlocked.Read(ref _readRetries), Interlocked.Read(ref _pinWaits));

    protected sealed override OpResult Run(int page, PageOp op, byte value, Span<byte> disk)
    {
        ref ulong word = ref Words[page];
        var spinner = new SpinWait();
        while (true)
        {
            var loaded = new PageWord(TMemory.Load(ref word));
            var d = CasAlgorithm.Plan(Protocol, loaded, op);
            if (d.Wait)
            {
                Interlocked.Increment(ref _pinWaits);
                TMemory.Wait(ref word, ref spinner);
                continue;
            }
            var result = new OpResult(loaded.GH, d.Outcome);
            if (d.Desired == loaded.Abstract)
            {
                // Nothing to commit: the load is the linearization point, and a read checks that it still is.
                if (op.Op != Operation.Read || d.Outcome != Outcome.Ok) return result;
                byte seen = TMemory.LoadCell(ref Cells.At(page, op.Cell));
                if (TMemory.Load(ref word) == loaded.Bits) return result with { Value = seen };
                Interlocked.Increment(ref _readRetries);
                continue;
            }
            var committed = loaded.Next(d.Desired);
            if (TMemory.CompareExchange(ref word, committed.Bits, loaded.Bits) != loaded.Bits)
            {
                Interlocked.Increment(ref _casFailures);
                continue;
            }
            if (!committed.Pinned) return result;
            result = result with { Value = Cells.Commit<TMemory>(page, loaded, committed, d.Outcome, op, value, disk) };
            // Only the pin's holder changes a pinned word, so a plain release store unpins it; it also publishes the cells.
            TMemory.Release(ref word, CasAlgorithm.Release(committed).Bits);
            return result;
        }
    }
}

/// <summary>The lock-free table on the machine's own memory (<see cref="HardwareMemory"/>): the production table.</summary>
public sealed class LockFreePageTable : LockFreePageTable<HardwareMemory>
{
    public LockFreePageTable(int pages, Protocol? protocol = null) : base(pages, protocol) { }
    public LockFreePageTable(IReadOnlyList<PageState> pages, Protocol? protocol = null) : base(pages, protocol) { }
}
