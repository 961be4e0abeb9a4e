using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>
/// The same table with one lock per page: the baseline the lock-free table is measured against. Inside the lock an
/// operation is plain code: decide, store the word, do the cell work.
/// </summary>
public sealed class LockedPageTable : PageStateTable
{
    readonly Lock[] _gates;

    public LockedPageTable(int pages, Protocol? protocol = null) : base(pages, protocol) => _gates = Gates(pages);
    public LockedPageTable(IReadOnlyList<PageState> pages, Protocol? protocol = null) : base(pages, protocol) =>
        _gates = Gates(pages.Count);

    static Lock[] Gates(int pages) => Enumerable.Range(0, pages).Select(_ => new Lock()).ToArray();

    protected override OpResult Run(int page, PageOp op, byte value, Span<byte> disk)
    {
        lock (_gates[page])
        {
            var loaded = new PageWord(Words[page]);
            var d = CasAlgorithm.Plan(Protocol, loaded, op);
            var committed = loaded.Next(d.Desired);
            Volatile.Write(ref Words[page], CasAlgorithm.Release(committed).Bits);
            return new OpResult(loaded.GH, d.Outcome, Cells.Commit<HardwareMemory>(page, loaded, committed, d.Outcome, op, value, disk));
        }
    }
}
