using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>
/// A thread-safe table of page states: one <see cref="PageWord"/> and two content cells per page, and every guest and
/// host operation of SPEC section 3. The guest's disk and the ghost <c>want</c> stay with the caller: a write is given
/// the value it stores, reload the disk it reads, and writeback fills the disk it writes.
/// </summary>
public abstract class PageStateTable
{
    protected readonly ulong[] Words;
    protected readonly PageCells Cells;
    protected readonly Protocol Protocol;

    /// <summary>A table of <paramref name="pages"/> pages, all Uz (SPEC section 6).</summary>
    protected PageStateTable(int pages, Protocol? protocol)
        : this(Enumerable.Repeat(PageState.Initial, pages).ToArray(), protocol) { }

    /// <summary>A table whose pages start in the given well-formed states (their g, h, change bit and cells).</summary>
    protected PageStateTable(IReadOnlyList<PageState> pages, Protocol? protocol)
    {
        Protocol = protocol ?? Protocol.Reference;
        Words = new ulong[pages.Count];
        Cells = new PageCells(pages.Count);
        for (int i = 0; i < pages.Count; i++)
        {
            var p = pages[i];
            if (!p.IsWellFormed) throw new ArgumentException($"page {i} is not a well-formed state: {p}", nameof(pages));
            Words[i] = PageWord.Of(p).Bits;
            for (int c = 0; c < PageState.Cells; c++) Cells[i, c] = p.Mem(c);
        }
    }

    public int PageCount => Words.Length;

    /// <summary>The page's word itself, for tests that hold a pin the way a thread mid-store does.</summary>
    internal ref ulong WordCell(int page) => ref Words[page];

    /// <summary>The arrays that hold the table's shared state (the words, then the cells two per page), for a test scheduler.</summary>
    internal (ulong[] Words, byte[] Cells) SharedMemory => (Words, Cells.Storage);

    /// <summary>The page's word as it is now (a snapshot; quiescent tables only for exact answers).</summary>
    public PageWord Word(int page) => new(Volatile.Read(ref Words[page]));

    /// <summary>The raw content of a cell (meaningful when the page is r or p).</summary>
    public byte Cell(int page, int cell) => Cells[page, cell];

    /// <summary>
    /// Runs one operation on one page. <paramref name="value"/> is what a write stores (0..2); <paramref name="disk"/>
    /// (two cells) is what reload reads and what writeback of an S or P page fills. Returns what the model returns:
    /// the old <c>(g,h)</c>, the outcome and a read's value.
    /// </summary>
    public OpResult Apply(int page, PageOp op, byte value, Span<byte> disk)
    {
        if ((uint)page >= (uint)Words.Length) throw new ArgumentOutOfRangeException(nameof(page));
        if (op.Cell >= PageState.Cells) throw new ArgumentOutOfRangeException(nameof(op), "cell must be 0 or 1");
        if (value > 2) throw new ArgumentOutOfRangeException(nameof(value), "a cell holds 0, 1 or 2");
        if (op.Op is Operation.Writeback or Operation.Reload && disk.Length < PageState.Cells)
            throw new ArgumentException("writeback and reload need the two disk cells", nameof(disk));
        return Run(page, op, value, disk);
    }

    /// <summary>The operation itself, arguments checked.</summary>
    protected abstract OpResult Run(int page, PageOp op, byte value, Span<byte> disk);

    public OpResult SetUnused(int page) => Apply(page, new(Operation.SetUnused), 0, default);
    public OpResult SetStable(int page) => Apply(page, new(Operation.SetStable), 0, default);
    public OpResult SetStableIfPresent(int page) => Apply(page, new(Operation.SetStableIfPresent), 0, default);
    public OpResult SetVolatile(int page, bool writable) =>
        Apply(page, new(writable ? Operation.SetVolatileWritable : Operation.SetVolatile), 0, default);
    public OpResult Read(int page, int cell) => Apply(page, new(Operation.Read, (byte)cell), 0, default);
    public OpResult Write(int page, int cell, byte value) => Apply(page, new(Operation.Write, (byte)cell), value, default);
    public OpResult Writeback(int page, Span<byte> disk) => Apply(page, new(Operation.Writeback), 0, disk);
    public OpResult Reload(int page, Span<byte> disk) => Apply(page, new(Operation.Reload), 0, disk);
    public OpResult HostReclaim(int page) => Apply(page, new(Operation.HostReclaim), 0, default);
}
