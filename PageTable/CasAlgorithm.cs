using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>What a compare-and-swap attempt should do, decided from the word it loaded.</summary>
/// <param name="Wait">The loaded word is pinned: load again (a writer is mid-store).</param>
/// <param name="Desired">The word to install (version aside); equal to the loaded one when nothing changes.</param>
/// <param name="Outcome">What the operation returns if the swap succeeds.</param>
/// <param name="StoresData">A write that succeeded: the desired word is pinned, the data store and unpin follow.</param>
public readonly record struct CasDecision(bool Wait, PageWord Desired, Outcome Outcome, bool StoresData);

/// <summary>
/// The transition logic of the Interlocked-CAS page table, as pure functions of the loaded word. The table runs it in
/// <c>Interlocked.CompareExchange</c> loops; the model checker's <c>cas</c> granularity explores exactly these steps
/// (load, then compare-and-swap with retry, then a write's data store) over every interleaving.
/// The decision depends on the word alone (never on the version), so a swap that succeeds after an A-B-A change
/// commits exactly what a fresh load would have decided: ABA is harmless here, and the version serves only readers.
/// </summary>
public static class CasAlgorithm
{
    /// <summary>
    /// Decides a usage-state operation, a host reclaim or a write (its "set the change bit" half) from the loaded word,
    /// with <see cref="PageMachine.Begin(Protocol, PageState, PageOp)"/>: the same rules as the reference model, applied to the word.
    /// </summary>
    public static CasDecision Decide(Protocol protocol, PageWord loaded, PageOp op)
    {
        if (loaded.Pinned) return new(true, loaded, default, false);
        var (next, result) = PageMachine.Begin(protocol, loaded.Over(PageState.Initial), op);
        bool storesData = StoresData(op, result.Outcome);
        var desired = PageWord.Of(next).WithPin(storesData);
        return new(false, desired, result.Outcome, storesData);
    }

    /// <summary>Whether a swap that commits <paramref name="op"/> with <paramref name="outcome"/> pins the page for a data store: a write that succeeded.</summary>
    public static bool StoresData(PageOp op, Outcome outcome) => op.Op == Operation.Write && outcome == Outcome.Ok;

    /// <summary>
    /// Decides guest writeback: a read of the page (fault-in), then <c>dirty := 0</c> for S and P pages. The desired word is
    /// pinned when the page's cells are copied to the guest's disk, so no write lands between clearing the bit and the copy.
    /// </summary>
    public static CasDecision DecideWriteback(Protocol protocol, PageWord loaded)
    {
        if (loaded.Pinned) return new(true, loaded, default, false);
        var (next, result) = PageMachine.Apply(protocol, loaded.Over(PageState.Initial), new PageOp(Operation.Writeback));
        bool copies = result.Outcome == Outcome.Ok && PageMachine.WritebackCopies(next.G);
        return new(false, PageWord.Of(next).WithPin(copies), result.Outcome, false);
    }

    /// <summary>
    /// Decides guest reload (set_unused, set_stable, a write of each cell) as one swap; when it succeeds the desired word
    /// is pinned and the disk's cells are stored before the release, like a write's data.
    /// </summary>
    public static CasDecision DecideReload(Protocol protocol, PageWord loaded)
    {
        if (loaded.Pinned) return new(true, loaded, default, false);
        var (next, result) = PageMachine.Apply(protocol, loaded.Over(PageState.Initial), new PageOp(Operation.Reload));
        bool stores = result.Outcome == Outcome.Ok;
        return new(false, PageWord.Of(next).WithPin(stores), result.Outcome, stores);
    }

    /// <summary>
    /// What the page table commits for any operation: <see cref="Decide"/>, or writeback and reload, plus a pin wherever
    /// the table's cells need one: leaving z for r (the cells are zero-filled before anyone sees them) and a read that
    /// moves the word (its cell is read in the state the swap committed). Pins only delay others, so this refines the
    /// steps the checker explores: every committed word is the one <see cref="Decide"/> would install.
    /// </summary>
    public static CasDecision Plan(Protocol protocol, PageWord loaded, PageOp op)
    {
        var d = op.Op switch
        {
            Operation.Writeback => DecideWriteback(protocol, loaded),
            Operation.Reload => DecideReload(protocol, loaded),
            _ => Decide(protocol, loaded, op),
        };
        // A waiting decision is already pinned (it is the loaded word), so the extra pins never wake it.
        bool movingRead = op.Op == Operation.Read && d.Outcome == Outcome.Ok && d.Desired != loaded.Abstract;
        return d with { Desired = d.Desired.WithPin(d.Desired.Pinned || movingRead || ZeroFills(loaded, d.Desired)) };
    }

    /// <summary>A move from z to r: the page gets a fresh frame whose cells must read as zero.</summary>
    public static bool ZeroFills(PageWord loaded, PageWord desired) =>
        loaded.H == HostState.Zero && desired.H == HostState.Resident;

    /// <summary>The word after a write's data store: the same state with the pin released.</summary>
    public static PageWord Release(PageWord pinned) => pinned.WithPin(false);
}
