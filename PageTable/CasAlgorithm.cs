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
    /// with <see cref="PageMachine.Begin"/>: the same rules as the reference model, applied to the word.
    /// </summary>
    public static CasDecision Decide(Protocol protocol, PageWord loaded, PageOp op)
    {
        if (loaded.Pinned) return new(true, loaded, default, false);
        var (next, result) = PageMachine.Begin(protocol, loaded.Over(PageState.Initial), op);
        bool storesData = op.Op == Operation.Write && result.Outcome == Outcome.Ok;
        var desired = PageWord.Of(next).WithPin(storesData);
        return new(false, desired, result.Outcome, storesData);
    }

    /// <summary>The word after a write's data store: the same state with the pin released.</summary>
    public static PageWord Release(PageWord pinned) => pinned.WithPin(false);
}
