using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>What a compare-and-swap attempt should do, decided from the word it loaded.</summary>
/// <param name="Wait">The loaded word is pinned: load again (a writer is mid-store).</param>
/// <param name="Desired">The word to install (version aside); equal to the loaded one when nothing changes.</param>
/// <param name="Outcome">What the operation returns if the swap succeeds.</param>
/// <param name="StoresData">A write or a reload that succeeded: data is stored into the cells after the swap, under the pin.</param>
public readonly record struct CasDecision(bool Wait, PageWord Desired, Outcome Outcome, bool StoresData);

/// <summary>
/// The transition logic of the Interlocked-CAS page table, as pure functions of the loaded word. The table runs
/// <see cref="Plan"/> in <c>Interlocked.CompareExchange</c> loops; the model checker's <c>cas</c> granularity explores the
/// table's steps (load, swap with retry, the optimistic read's second load, work under the pin, release) over every
/// interleaving, deciding with <see cref="Decisions"/>: both map the page machine's outcomes through <see cref="Decide"/>.
/// The decision depends on the word alone (never on the version); the swap compares the version too, so a swap after an
/// A-B-A change fails and reloads.
/// </summary>
public sealed class CasAlgorithm : IPageAlgorithm
{
    /// <summary>The table's algorithm, for callers that take any <see cref="IPageAlgorithm"/>.</summary>
    public static readonly CasAlgorithm Instance = new();

    CasAlgorithm() { }

    /// <summary>
    /// What the page table commits for <paramref name="op"/> under a deterministic protocol (the table's hot path: no
    /// allocation; a protocol offering a choice throws, as <see cref="PageMachine.Begin(Protocol, PageState, PageOp)"/> does):
    /// the single-outcome case of <see cref="Decisions"/>.
    /// </summary>
    public static CasDecision Plan(Protocol protocol, PageWord loaded, PageOp op)
    {
        if (loaded.Pinned) return Waits(loaded);
        var page = loaded.Over(PageState.Initial);
        var (next, result) = DecidesBegin(op) ? PageMachine.Begin(protocol, page, op) : PageMachine.Apply(protocol, page, op);
        return Decide(loaded, op, next, result.Outcome);
    }

    /// <inheritdoc/>
    public void Decisions(Protocol protocol, PageWord loaded, PageOp op, List<CasDecision> into)
    {
        if (loaded.Pinned) { into.Add(Waits(loaded)); return; }
        var outcomes = new List<(PageState Next, OpResult Result)>(1);
        PageMachine.Outcomes(protocol, loaded.Over(PageState.Initial), op, outcomes, begin: DecidesBegin(op));
        foreach (var (next, result) in outcomes) into.Add(Decide(loaded, op, next, result.Outcome));
    }

    /// <summary>
    /// Whether the decision covers only <see cref="PageMachine.Begin(Protocol, PageState, PageOp)"/>: a write, whose data
    /// store follows the swap; every other operation is decided whole (<see cref="PageMachine.Apply(Protocol, PageState, PageOp)"/>).
    /// </summary>
    public static bool DecidesBegin(PageOp op) => op.Op == Operation.Write;

    static CasDecision Waits(PageWord loaded) => new(true, loaded, default, false);

    /// <summary>
    /// The decision for one outcome of the page machine (<paramref name="next"/>, <paramref name="outcome"/>): install
    /// its word, pinned wherever the table's cells need work before anyone may look: a write's data store, writeback's copy
    /// of an S or P page to disk, reload's copy from disk, a read that moves the word (its cell is read in the committed
    /// state), and leaving z for r (the cells are zero-filled first). Pins only delay others.
    /// </summary>
    static CasDecision Decide(PageWord loaded, PageOp op, PageState next, Outcome outcome)
    {
        var desired = PageWord.Of(next);
        bool ok = outcome == Outcome.Ok;
        bool pin = op.Op switch
        {
            Operation.Write or Operation.Reload => ok,
            Operation.Writeback => ok && PageMachine.WritebackCopies(next.G),
            Operation.Read => ok && desired != loaded.Abstract,
            _ => false,
        } || ZeroFills(loaded, desired);
        return new(false, desired.WithPin(pin), outcome, ok && op.Op is Operation.Write or Operation.Reload);
    }

    /// <summary>
    /// Whether a swap that commits <paramref name="op"/> with <paramref name="outcome"/> owes the page machine's data
    /// store (<see cref="PageMachine.StoreData"/>): a write that succeeded, whose swap was only its <c>Begin</c>. Not
    /// <see cref="CasDecision.StoresData"/>, which also counts reload's copy from disk.
    /// </summary>
    public static bool OwesDataStore(PageOp op, Outcome outcome) => op.Op == Operation.Write && outcome == Outcome.Ok;

    /// <summary>A move from z to r: the page gets a fresh frame whose cells must read as zero.</summary>
    public static bool ZeroFills(PageWord loaded, PageWord desired) =>
        loaded.H == HostState.Zero && desired.H == HostState.Resident;

    /// <summary>The word after the work under a pin: the same state with the pin released.</summary>
    public static PageWord Release(PageWord pinned) => pinned.WithPin(false);
}
