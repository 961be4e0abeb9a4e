using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>
/// The two content cells of every page: the frame when the page is r, the swap slot when p (the same storage here, so
/// swap-out and fault-in move no data), and nothing anyone looks at when z (a z page's logical content is zero).
/// </summary>
public sealed class PageCells
{
    readonly byte[] _cells;

    public PageCells(int pages) => _cells = new byte[pages * PageState.Cells];

    public byte this[int page, int cell]
    {
        get => Volatile.Read(ref _cells[page * PageState.Cells + cell]);
        internal set => _cells[page * PageState.Cells + cell] = value;
    }

    /// <summary>The storage of a cell, for an access through an <see cref="IMemory"/>.</summary>
    internal ref byte At(int page, int cell) => ref _cells[page * PageState.Cells + cell];

    /// <summary>All cells, page after page: what a test scheduler watches.</summary>
    internal byte[] Storage => _cells;

    /// <summary>
    /// The content half of a committed transition from <paramref name="loaded"/> to <paramref name="committed"/>, done
    /// while nobody else can touch the page (pinned or locked): zero-fill on z→r, then the operation's read, data store,
    /// copy to the guest's disk (writeback) or copy from it (reload). Returns the value a read saw, else 0. Every access to
    /// a cell goes through <typeparamref name="TMemory"/>.
    /// </summary>
    public byte Commit<TMemory>(int page, PageWord loaded, PageWord committed, Outcome outcome, PageOp op, byte value, Span<byte> disk)
        where TMemory : struct, IMemory
    {
        int first = page * PageState.Cells;
        if (CasAlgorithm.ZeroFills(loaded, committed))
        {
            TMemory.WriteCell(ref _cells[first + 1], 0);
            TMemory.WriteCell(ref _cells[first], 0);
        }
        if (outcome != Outcome.Ok) return 0;
        switch (op.Op)
        {
            case Operation.Read:
                return TMemory.ReadCell(ref _cells[first + op.Cell]);
            case Operation.Write:
                TMemory.WriteCell(ref _cells[first + op.Cell], value);
                break;
            case Operation.Writeback when PageMachine.WritebackCopies(committed.G):
                disk[0] = TMemory.ReadCell(ref _cells[first]);
                disk[1] = TMemory.ReadCell(ref _cells[first + 1]);
                break;
            case Operation.Reload when committed.H == HostState.Resident:
                // Each disk cell read before its cell's bounds check, as a plain `cells[i] = disk[c]` did.
                byte d0 = disk[0];
                TMemory.WriteCell(ref _cells[first], d0);
                byte d1 = disk[1];
                TMemory.WriteCell(ref _cells[first + 1], d1);
                break;
        }
        return 0;
    }
}
