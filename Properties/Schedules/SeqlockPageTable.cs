using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.TestKit;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// A deliberately different table, to show the scheduler checks more than the project's own: a seqlock per page. The
/// page's word is its sequence (the pin bit odd, the version counting writers). Every operation reads the word and both
/// cells and asks the model what it does; if nothing changes it re-reads the word and retries if it moved (a reader),
/// else it makes the word odd with a compare-and-swap, stores the cells that change and makes the word even again,
/// with the new state, by a release store (a writer).
/// </summary>
/// <param name="earlyRelease">Broken on purpose: the writer releases the word before it stores the cells.</param>
public class SeqlockPageTable<TMemory>(IReadOnlyList<PageState> pages, bool earlyRelease = false)
    : PageStateTable(pages, null) where TMemory : struct, IMemory
{
    protected override OpResult Run(int page, PageOp op, byte value, Span<byte> disk)
    {
        ref ulong word = ref Words[page];
        var spinner = new SpinWait();
        while (true)
        {
            var seen = new PageWord(TMemory.Load(ref word));
            if (seen.Pinned) { TMemory.Wait(ref word, ref spinner); continue; }
            byte c0 = TMemory.LoadCell(ref Cells.At(page, 0)), c1 = TMemory.LoadCell(ref Cells.At(page, 1));
            bool zero = seen.H == HostState.Zero;
            var state = seen.Over(PageState.Initial.WithMem(0, zero ? (byte)0 : c0).WithMem(1, zero ? (byte)0 : c1));
            var call = new HistoryEvent(0, page, op, value, disk.Length >= 2 ? (disk[0], disk[1]) : default, 0, 0, default, default);
            var (next, result, copied) = Linearizability.Step(state, call);
            bool stores = next.H != HostState.Zero && (next.Mem(0) != c0 || next.Mem(1) != c1);
            if (PageWord.Of(next) == seen.Abstract && !stores)
            {
                if (TMemory.Load(ref word) != seen.Bits) continue;
            }
            else
            {
                if (TMemory.CompareExchange(ref word, seen.WithPin(true).Bits, seen.Bits) != seen.Bits) continue;
                ulong even = seen.Next(PageWord.Of(next)).Bits;
                if (earlyRelease) TMemory.Release(ref word, even);
                for (int c = 0; c < PageState.Cells && next.H != HostState.Zero; c++)
                    if (next.Mem(c) != (c == 0 ? c0 : c1)) TMemory.WriteCell(ref Cells.At(page, c), next.Mem(c));
                if (!earlyRelease) TMemory.Release(ref word, even);
            }
            if (copied.Item1 != HistoryEvent.NotCopied) (disk[0], disk[1]) = copied;
            return result;
        }
    }
}
