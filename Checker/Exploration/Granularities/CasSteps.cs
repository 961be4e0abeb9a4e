// About 300 lines on purpose: the cas granularity's rules in one file, a third of it the account of where each step is judged.
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Exploration.Granularities;

/// <summary>What an actor at the <c>cas</c> granularity does next: the lock-free table's steps, in its order.</summary>
enum CasNext
{
    /// <summary>No operation under way (a vCPU picks its next one, a host a page to reclaim).</summary>
    Idle,
    /// <summary>Load the page's word (at the start, and again after a failed swap or a moved optimistic read).</summary>
    Load,
    Swap,
    /// <summary>An optimistic read's read of the cell, between its two loads.</summary>
    ReadCell,
    LoadAgain,
    /// <summary>The operation's own work on the cells after a swap: the read, the data store, a copy.</summary>
    Work,
    Release,
    /// <summary>The zero-fill of a page the swap moved from z to r, before the operation's own work.</summary>
    ZeroFill,
    Last = ZeroFill,
}

/// <summary>
/// The local fields the cas steps use: the next step, and five bits it needs: the word loaded (before a swap or an
/// optimistic read's read of the cell), the value seen (before the second load: the word is then either the one loaded
/// or moved, so it needs no keeping), the work and how it ends (after a swap, see <see cref="CasSteps.CellWork"/>).
/// </summary>
readonly record struct CasFields(BitField Next, BitField Held);

/// <summary>
/// The <c>cas</c> granularity: every operation takes the steps of <c>LockFreePageTable.Run</c> and <c>PageCells.Commit</c>,
/// deciding with the table's own <see cref="IPageAlgorithm"/> (<see cref="CasAlgorithm"/> unless given):
/// <list type="number">
/// <item>load the word (not enabled while it is pinned: the table waits for the word to change);</item>
/// <item>a decision that changes nothing returns at the load, except an Ok read, which reads the cell and loads again:
/// unchanged, it returns the value seen; moved, it starts again;</item>
/// <item>otherwise swap: it fails (and the operation starts again, a host's reclaim too) when the word moved since the
/// load, A-B-A included, since the table compares the version too;</item>
/// <item>after a swap that pinned the word, the work on the cells, then the release store.</item>
/// </list>
/// Whether the word moved is kept per page, one bit per actor: the actor holds a load of the page that no swap or release
/// has outdated since (<see cref="Interleavings.Loads"/>). A load sets the actor's bit, every write of the word clears the page's bits,
/// and an actor clears its own when its operation leaves the load behind; so a step changes its actor's block and its
/// page's block only, and the bit is exactly the table's "the word (with its version) is still the one loaded" as long
/// as versions do not wrap.
///
/// <para>Where an operation is judged (the transition invariants over before, op, result, after): once, at its
/// linearization point, with the page machine's outcome there.
/// A load that returns: the page is the one loaded, and its after is the machine's (which differs from it at most in a
/// ghost, e.g. a lost write's <c>want</c>: the word is unchanged, so the table writes nothing).
/// A swap: the word is the one loaded (else it fails), so the page is the one the decision was taken on, and the machine's
/// outcome on it (a write's <c>Begin</c>, any other operation's <c>Apply</c>) is judged, a moving read with the value of its
/// cell: nothing else writes a pinned page's cells, so the read under the pin sees exactly that value. The work under the
/// pin is not judged again: a zero-fill, a copy and a read change nothing the machine has not already applied at the swap
/// (nobody can look at a pinned page: loads wait, and a swap from an earlier load fails), and the data store is the
/// machine's own <see cref="PageMachine.StoreData"/>, after <c>Begin</c>, as at every split granularity.
/// An optimistic read: at its second load, when the word has not moved since the first. No swap or release wrote the page
/// in between, and nothing else changes a page: it is the page of the first load, where the read linearizes, and the cell
/// seen is that page's (a cell is written only under a pin, which a swap takes): the machine's result, with the value seen.
/// </para>
/// </summary>
sealed class CasSteps(Interleavings system, IPageAlgorithm algorithm) : GranularitySteps(system)
{
    /// <summary>Bits of <see cref="CasFields.Held"/>: a loaded word is never pinned (loads wait), five bits; so do a cell's value
    /// and a <see cref="CellWork"/> with its two flags.</summary>
    public const int HeldBits = 5;

    public override int VcpuPhaseBits => BitLayout.WidthFor((int)CasNext.Last);
    public override int HostPhaseBits => BitLayout.WidthFor((int)CasNext.Last);
    public override int ObservedBits => HeldBits;
    public override bool TracksLoads => true;

    /// <summary>The operation's own work on the cells after a swap, kept in <see cref="CasFields.Held"/> after it (bits 0-2),
    /// with whether the word is pinned (bit 3: a release follows) and whether the operation failed (bit 4: where the program goes).</summary>
    internal enum CellWork { None, StoreData, ReadCell, CopyToDisk, CopyFromDisk }

    const int PinnedBit = 1 << 3, FailedBit = 1 << 4;

    /// <summary>The step a vCPU takes next, by the name traces give it (<see cref="StepText"/>).</summary>
    public override string Underway(int phase) => "at " + (CasNext)phase switch
    {
        CasNext.Load => StepText.Name(Phase.Load),
        CasNext.Swap => StepText.Name(Phase.Swap),
        CasNext.ReadCell => StepText.Name(Phase.ReadCell),
        CasNext.LoadAgain => StepText.Name(Phase.LoadAgain),
        CasNext.Release => StepText.Name(Phase.Release),
        var next => next.ToString().ToLowerInvariant(), // work: whichever of the pin's steps the operation does
    };

    static CasFields Fields(Interleavings.Vcpu cpu) => new(cpu.Phase, cpu.Observed);

    public override void Start(in PackedState s, int v, int c, Choice choice, int page, List<Successor> into)
    {
        // Every operation of the table starts with a load; the choice and its page are the vCPU's from there on.
        var cpu = System.VcpuOf(v);
        var chosen = cpu.Phase.Set(cpu.ChosenPage.Set(cpu.Choice.Set(s, c), page), (int)CasNext.Load);
        CasLoad(chosen, (byte)v, Fields(cpu), choice.Op, page, Finish(v, choice), into);
    }

    public override void Continue(in PackedState s, int v, Choice chosen, int page, List<Successor> into) =>
        Steps(s, (byte)v, Fields(System.VcpuOf(v)), chosen.Op, page, Finish(v, chosen), into);

    /// <summary>A vCPU's operation ends: its program moves on, past a failure or not.</summary>
    Func<PackedState, bool, PackedState> Finish(int v, Choice choice) =>
        (next, failed) => System.Advance(next, v, choice, failed ? Outcome.Failed : Outcome.Ok);

    int LoadBit(int page, int actor) => 1 << System.LoadBitIndex(page, actor);

    bool HoldsLoad(in PackedState s, int page, int actor) => (System.Loads(page).Get(s) & LoadBit(page, actor)) != 0;

    PackedState WithLoad(in PackedState s, int page, int actor, bool holds)
    {
        var loads = System.Loads(page);
        int bits = loads.Get(s);
        return loads.Set(s, holds ? bits | LoadBit(page, actor) : bits & ~LoadBit(page, actor));
    }

    /// <summary>The page's word was written (a swap or a release): every load of it is outdated.</summary>
    PackedState WordWritten(in PackedState s, int page) => System.Loads(page).Set(s, 0);

    /// <summary>
    /// The algorithm's decisions on <paramref name="loaded"/>, each with the page machine's outcome on the page it was
    /// loaded from (<paramref name="current"/>, whose word it is): the page after (with the word the algorithm decided)
    /// and the result (with the outcome it decided).
    /// </summary>
    List<(CasDecision Decision, PageState Next, OpResult Result)> Decide(PageWord loaded, PageState current, PageOp op)
    {
        var decisions = new List<CasDecision>(1);
        algorithm.Decisions(System.Protocol, loaded, op, decisions);
        var outcomes = System.Outcomes(loaded.Over(current), op, begin: CasAlgorithm.DecidesBegin(op));
        if (decisions.Count != outcomes.Count)
            throw new InvalidOperationException($"{algorithm.GetType().Name} decided {op} on {loaded} {decisions.Count} ways, the page machine {outcomes.Count}");
        return [.. decisions.Select((d, i) => (d, d.Desired.Over(outcomes[i].Next), outcomes[i].Result with { Outcome = d.Outcome }))];
    }

    public override void HostSteps(in PackedState s, int h, List<Successor> into)
    {
        var host = System.HostOf(h);
        byte actor = HostActor(h);
        var f = new CasFields(host.Phase, host.Observed);
        var idle = (PackedState next, bool _) => host.Observed.Set(host.Page.Set(host.Phase.Set(next, 0), 0), 0);
        if (host.Phase.Get(s) != (int)CasNext.Idle)
        {
            int page = host.Page.Get(s);
            var current = System.Page(s, page);
            if (host.Phase.Get(s) == (int)CasNext.Load && !System.Pinned(s, page) && !System.Configuration.HostMay(HostActions.For(current.G)))
            {
                // Host retry found a guest state this configuration's host does not act on: it gives up at the load.
                System.Emit(into, idle(s, false), new Step(actor, Reclaim, (byte)page, Phase.LoadReturns, new OpResult(current.GH, Outcome.NotEnabled), current, current));
                return;
            }
            Steps(s, actor, f, Reclaim, page, idle, into);
            return;
        }
        for (int p = 0; p < System.PageCount; p++)
            if (MayReclaim(System.Page(s, p)))
                CasLoad(host.Page.Set(host.Phase.Set(s, (int)CasNext.Load), p), actor, f, Reclaim, p, idle, into);
    }

    /// <summary>The next step of an actor whose operation <paramref name="op"/> on <paramref name="page"/> is under way;
    /// <paramref name="finish"/> ends the operation (with whether it failed) and clears the actor's operation fields.</summary>
    void Steps(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        switch ((CasNext)f.Next.Get(s))
        {
            case CasNext.Load: CasLoad(s, actor, f, op, page, finish, into); break;
            case CasNext.Swap: Swap(s, actor, f, op, page, finish, into); break;
            case CasNext.ReadCell: ReadCell(s, actor, f, op, page, into); break;
            case CasNext.LoadAgain: LoadAgain(s, actor, f, op, page, finish, into); break;
            case CasNext.ZeroFill: ZeroFill(s, actor, f, op, page, finish, into); break;
            case CasNext.Work: Work(s, actor, f, op, page, finish, into); break;
            case CasNext.Release: Release(s, actor, f, op, page, finish, into); break;
        }
    }

    /// <summary>Back to the load: the swap failed or the optimistic read's word moved.</summary>
    PackedState Retry(in PackedState s, byte actor, CasFields f, int page) =>
        f.Next.Set(f.Held.Set(WithLoad(s, page, actor, false), 0), (int)CasNext.Load);

    void CasLoad(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        var word = System.Word(s, page);
        if (word.Pinned) return; // the table waits until the pin's holder releases the word
        var current = System.Page(s, page);
        var loaded = WithLoad(f.Held.Set(s, (int)word.Abstract.Bits), page, actor, true);
        var seen = new Step(actor, op, (byte)page, Phase.Load, new OpResult(current.GH, Outcome.Ok), current, current);
        bool swaps = false, reads = false;
        foreach (var (d, next, result) in Decide(word, current, op))
        {
            if (d.Desired != word.Abstract) swaps = true;
            else if (op.Op == Operation.Read && d.Outcome == Outcome.Ok) reads = true;
            else System.Emit(into, finish(System.WithPage(s, page, next, false), d.Outcome == Outcome.Failed),
                new Step(actor, op, (byte)page, Phase.LoadReturns, result, current, next));
        }
        if (reads) System.Emit(into, f.Next.Set(loaded, (int)CasNext.ReadCell), seen);
        if (swaps) System.Emit(into, f.Next.Set(loaded, (int)CasNext.Swap), seen);
    }

    void Swap(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        var observed = new PageWord((uint)f.Held.Get(s));
        var current = System.Page(s, page);
        if (!HoldsLoad(s, page, actor))
        {
            System.Emit(into, Retry(s, actor, f, page), new Step(actor, op, (byte)page, Phase.SwapFails, new OpResult(observed.GH, Outcome.Ok), current, current));
            return;
        }
        foreach (var (d, next, result) in Decide(observed, current, op))
        {
            if (d.Desired == observed) continue; // decided at the load: returned there, or an optimistic read
            bool pinned = d.Desired.Pinned, failed = d.Outcome == Outcome.Failed;
            int held = (int)CellWorkOf(op, d) | (pinned ? PinnedBit : 0) | (failed ? FailedBit : 0);
            var committed = f.Held.Set(WordWritten(System.WithPage(s, page, next, pinned), page), held);
            var after = pinned && CasAlgorithm.ZeroFills(observed, d.Desired) ? f.Next.Set(committed, (int)CasNext.ZeroFill) : AfterZeroFill(committed, f, finish);
            System.Emit(into, after, new Step(actor, op, (byte)page, Phase.Swap, result, current, next));
        }
    }

    /// <summary>
    /// The operation's own work on the cells after a swap (and its zero-fill), as <c>PageCells.Commit</c> does it under the
    /// pin: a read, the data store, a copy. A write's data store follows its swap even when the decision forgot to pin the
    /// word: the page machine's write is <c>Begin</c> then <see cref="PageMachine.StoreData"/> (the table would skip it,
    /// losing the write outright; here the race the pin prevents shows instead).
    /// </summary>
    static CellWork CellWorkOf(PageOp op, CasDecision d)
    {
        if (CasAlgorithm.OwesDataStore(op, d.Outcome)) return CellWork.StoreData;
        if (!d.Desired.Pinned) return CellWork.None;
        if (d.Outcome == Outcome.Ok)
            switch (op.Op)
            {
                case Operation.Read: return CellWork.ReadCell;
                case Operation.Writeback when PageMachine.WritebackCopies(d.Desired.G): return CellWork.CopyToDisk;
                case Operation.Reload when d.Desired.H == HostState.Resident: return CellWork.CopyFromDisk;
            }
        return CellWork.None;
    }

    /// <summary>What follows the zero-fill (or a swap that needs none): the operation's work, else the release, else its end.</summary>
    static PackedState AfterZeroFill(in PackedState s, CasFields f, Func<PackedState, bool, PackedState> finish)
    {
        int held = f.Held.Get(s);
        return (CellWork)(held & 7) != CellWork.None ? f.Next.Set(s, (int)CasNext.Work) : AfterWork(s, f, finish);
    }

    static PackedState AfterWork(in PackedState s, CasFields f, Func<PackedState, bool, PackedState> finish)
    {
        int held = f.Held.Get(s);
        return (held & PinnedBit) != 0 ? f.Next.Set(s, (int)CasNext.Release) : finish(s, (held & FailedBit) != 0);
    }

    /// <summary>The cells of a page leaving z for r are zeroed: the model's cells of a z page are zero already (<see cref="PageMachine.Move"/>).</summary>
    void ZeroFill(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        var current = System.Page(s, page);
        System.Emit(into, AfterZeroFill(s, f, finish), new Step(actor, op, (byte)page, Phase.ZeroFill, new OpResult(current.GH, Outcome.Ok), current, current));
    }

    void Work(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        var work = (CellWork)(f.Held.Get(s) & 7);
        var current = System.Page(s, page);
        var after = work == CellWork.StoreData ? PageMachine.StoreData(current, op.Cell) : current;
        var next = AfterWork(System.WithPage(s, page, after, System.Pinned(s, page)), f, finish);
        var phase = work switch
        {
            CellWork.StoreData => Phase.StoreData,
            CellWork.ReadCell => Phase.ReadCell,
            CellWork.CopyToDisk => Phase.CopyToDisk,
            _ => Phase.CopyFromDisk,
        };
        byte value = work == CellWork.ReadCell ? current.Content(op.Cell) : (byte)0;
        System.Emit(into, next, new Step(actor, op, (byte)page, phase, new OpResult(current.GH, Outcome.Ok, value), current, after));
    }

    void Release(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        // Only the pin's holder changes a pinned word: the release stores the committed state unpinned.
        var current = System.Page(s, page);
        var released = WordWritten(System.WithPage(s, page, current, false), page);
        System.Emit(into, finish(released, (f.Held.Get(s) & FailedBit) != 0),
            new Step(actor, op, (byte)page, Phase.Release, new OpResult(current.GH, Outcome.Ok), current, current));
    }

    void ReadCell(in PackedState s, byte actor, CasFields f, PageOp op, int page, List<Successor> into)
    {
        var current = System.Page(s, page);
        byte value = current.Content(op.Cell);
        System.Emit(into, f.Next.Set(f.Held.Set(s, value), (int)CasNext.LoadAgain),
            new Step(actor, op, (byte)page, Phase.ReadCell, new OpResult(current.GH, Outcome.Ok, value), current, current));
    }

    void LoadAgain(in PackedState s, byte actor, CasFields f, PageOp op, int page, Func<PackedState, bool, PackedState> finish, List<Successor> into)
    {
        var current = System.Page(s, page);
        if (!HoldsLoad(s, page, actor))
        {
            System.Emit(into, Retry(s, actor, f, page), new Step(actor, op, (byte)page, Phase.LoadAgainFails, new OpResult(current.GH, Outcome.Ok), current, current));
            return;
        }
        // Not moved since the first load: the word is the one loaded then.
        var observed = System.Word(s, page);
        byte seen = (byte)f.Held.Get(s);
        foreach (var (d, next, result) in Decide(observed, current, op))
            if (d.Desired == observed && d.Outcome == Outcome.Ok)
                System.Emit(into, finish(WithLoad(System.WithPage(s, page, next, false), page, actor, false), false),
                    new Step(actor, op, (byte)page, Phase.LoadAgain, result with { Value = seen }, current, next));
    }
}
