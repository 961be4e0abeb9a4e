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

    /// <summary>
    /// The content half of a committed transition from <paramref name="loaded"/> to <paramref name="committed"/>, done
    /// while nobody else can touch the page (pinned or locked): zero-fill on z→r, then the operation's read, data store,
    /// copy to the guest's disk (writeback) or copy from it (reload). Returns the value a read saw, else 0.
    /// </summary>
    public byte Commit(int page, PageWord loaded, PageWord committed, Outcome outcome, PageOp op, byte value, Span<byte> disk)
    {
        int first = page * PageState.Cells;
        if (CasAlgorithm.ZeroFills(loaded, committed)) _cells[first] = _cells[first + 1] = 0;
        if (outcome != Outcome.Ok) return 0;
        switch (op.Op)
        {
            case Operation.Read:
                return _cells[first + op.Cell];
            case Operation.Write:
                _cells[first + op.Cell] = value;
                break;
            case Operation.Writeback when PageMachine.WritebackCopies(committed.G):
                disk[0] = _cells[first];
                disk[1] = _cells[first + 1];
                break;
            case Operation.Reload when committed.H == HostState.Resident:
                _cells[first] = disk[0];
                _cells[first + 1] = disk[1];
                break;
        }
        return 0;
    }
}
