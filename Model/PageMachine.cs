namespace PageHintVerify.Model;

/// <summary>
/// The content rules of SPEC section 3, applied to a protocol's <c>(g,h)</c> moves by the kind of operation.
/// The same rules serve the reference table and the seed graphs, so a variant differs from the reference only in its moves.
/// </summary>
public static class PageMachine
{
    /// <summary>
    /// Applies one operation atomically (the <c>atomic</c> step granularity) under a deterministic protocol; a protocol
    /// that offers a choice here is an error (use <see cref="Outcomes"/>).
    /// </summary>
    public static (PageState Next, OpResult Result) Apply(Protocol protocol, PageState s, PageOp op)
    {
        var choices = new Choices();
        return Apply(protocol, s, op, ref choices);
    }

    /// <summary>
    /// Everything an operation does except a write's data store, under a deterministic protocol (see
    /// <see cref="Begin(Protocol, PageState, PageOp, ref Choices)"/>).
    /// </summary>
    public static (PageState Next, OpResult Result) Begin(Protocol protocol, PageState s, PageOp op)
    {
        var choices = new Choices();
        return Begin(protocol, s, op, ref choices);
    }

    /// <summary>
    /// Every distinct outcome of <see cref="Apply(Protocol, PageState, PageOp)"/> (or, with <paramref name="begin"/>,
    /// of <see cref="Begin(Protocol, PageState, PageOp)"/>) under a possibly nondeterministic protocol, appended to
    /// <paramref name="into"/> in a fixed order: the choice points' options in target-index order, the first point slowest.
    /// </summary>
    public static void Outcomes(Protocol protocol, PageState s, PageOp op, List<(PageState Next, OpResult Result)> into, bool begin = false)
    {
        int first = into.Count;
        var choices = Choices.Enumerating();
        do
        {
            var outcome = begin ? Begin(protocol, s, op, ref choices) : Apply(protocol, s, op, ref choices);
            if (into.IndexOf(outcome, first) < 0) into.Add(outcome);
        } while (choices.Advance());
    }

    /// <summary>Applies one operation atomically, taking the protocol's choices from <paramref name="choices"/>.</summary>
    public static (PageState Next, OpResult Result) Apply(Protocol protocol, PageState s, PageOp op, ref Choices choices) =>
        Concrete(PageMachine<PageState, byte>.Apply(protocol, s, op, ref choices));

    /// <summary>
    /// Everything an operation does except a write's data store: the usage-state change, the host's part of an access
    /// (fault-in, zero-fill) and, for a write, setting the change bit. A write that ends Ok still owes <see cref="StoreData"/>.
    /// Where the protocol offers several targets, <paramref name="choices"/> picks one.
    /// </summary>
    public static (PageState Next, OpResult Result) Begin(Protocol protocol, PageState s, PageOp op, ref Choices choices) =>
        Concrete(PageMachine<PageState, byte>.Begin(protocol, s, op, ref choices));

    static (PageState Next, OpResult Result) Concrete((PageState Next, OpResult Result, byte Value) step) =>
        (step.Next, step.Result with { Value = step.Value });

    /// <summary>A write's data store: the non-zero value that differs from <c>want[c]</c> (SPEC section 2).</summary>
    public static PageState StoreData(PageState s, int cell) => PageMachine<PageState, byte>.StoreData(s, cell);

    /// <summary>The value a guest write stores: 1 unless want[c] is 1, then 2.</summary>
    public static byte WriteValue(PageState s, int cell) => PageMachine<PageState, byte>.WriteValue(s, cell);

    /// <inheritdoc cref="PageMachine{TPage, TCell}.Move"/>
    public static PageState Move(PageState s, GuestHostState to) => PageMachine<PageState, byte>.Move(s, to);

    /// <summary>Whether writeback copies a page of this guest state to disk: S and P pages, whose content the guest owns.</summary>
    public static bool WritebackCopies(GuestState g) => g is GuestState.Stable or GuestState.PotentiallyVolatile;

    /// <summary>Guest writeback (page-cache flush): a read of the page, then <c>disk := mem, dirty := 0</c> for S and P pages.</summary>
    public static (PageState Next, OpResult Result) Writeback(Protocol protocol, PageState s, ref Choices choices) =>
        Concrete(PageMachine<PageState, byte>.Writeback(protocol, s, ref choices));

    /// <summary>Guest reload after a discard: set_unused, set_stable, then each cell written with <c>disk[c]</c>; <c>want := disk</c>.</summary>
    public static (PageState Next, OpResult Result) Reload(Protocol protocol, PageState s, ref Choices choices) =>
        Concrete(PageMachine<PageState, byte>.Reload(protocol, s, ref choices));
}

/// <summary>
/// A page whose <c>(g,h)</c> and change bit are known and whose cells hold <typeparamref name="TCell"/>: a byte in the
/// checker's <see cref="PageState"/>, a term over the page before a step in the proof. <see cref="PageMachine{TPage, TCell}"/>
/// is written once against this, so the checker and Z3 run the same step.
/// </summary>
public interface IPage<TSelf, TCell> where TSelf : IPage<TSelf, TCell>
{
    GuestHostState GH { get; }
    GuestState G { get; }
    HostState H { get; }
    bool Dirty { get; }
    TCell Mem(int c);
    TCell Disk(int c);
    TCell Want(int c);
    TSelf With(GuestHostState gh);
    TSelf WithDirty(bool dirty);
    TSelf WithMem(int c, TCell v);
    TSelf WithDisk(int c, TCell v);
    TSelf WithWant(int c, TCell v);

    /// <summary>The zero content of a zero-filled frame or an unwritten cell.</summary>
    static abstract TCell Zero { get; }
    /// <summary>⊥: reads may return anything.</summary>
    static abstract TCell Bottom { get; }
    /// <summary>The value a guest write stores over <paramref name="want"/>: 1 unless it is 1, then 2 (SPEC section 2).</summary>
    static abstract TCell WriteValue(TCell want);
}

/// <summary>
/// The content rules of SPEC section 3 over any <see cref="IPage{TSelf, TCell}"/>; see <see cref="PageMachine"/> for the
/// checker's entry points. A step returns the page after, the result (its <see cref="OpResult.Value"/> left 0) and the value read.
/// </summary>
public static class PageMachine<TPage, TCell> where TPage : struct, IPage<TPage, TCell>
{
    /// <summary>What reads of cell <paramref name="c"/> return: a zero-filled frame reads 0 whatever <c>mem</c> holds.</summary>
    public static TCell Content(TPage s, int c) => s.H == HostState.Zero ? TPage.Zero : s.Mem(c);

    /// <summary>Applies one operation atomically, taking the protocol's choices from <paramref name="choices"/>.</summary>
    public static (TPage Next, OpResult Result, TCell Value) Apply(Protocol protocol, TPage s, PageOp op, ref Choices choices)
    {
        switch (op.Op)
        {
            case Operation.Write:
                var step = Begin(protocol, s, op, ref choices);
                return step.Result.Outcome == Outcome.Ok ? step with { Next = StoreData(step.Next, op.Cell) } : step;
            case Operation.Writeback:
                return Writeback(protocol, s, ref choices);
            case Operation.Reload:
                return Reload(protocol, s, ref choices);
            default:
                return Begin(protocol, s, op, ref choices);
        }
    }

    /// <summary>Everything an operation does except a write's data store (see <see cref="PageMachine.Begin(Protocol, PageState, PageOp, ref Choices)"/>).</summary>
    public static (TPage Next, OpResult Result, TCell Value) Begin(Protocol protocol, TPage s, PageOp op, ref Choices choices)
    {
        var old = s.GH;
        int targets = protocol.TargetCount(old, op.Op, s.Dirty);
        GuestHostState? to = targets == 0 ? (GuestHostState?)null : protocol.Target(old, op.Op, s.Dirty, choices.Pick(targets, protocol, old, op.Op));
        bool gap = to is null && Protocol.NeedsEdge(old, op.Op);
        switch (op.Op)
        {
            case Operation.HostReclaim:
                return to is { } t ? (Move(s, t), new OpResult(old, Outcome.Ok), TPage.Zero) : (s, new OpResult(old, Outcome.NotEnabled), TPage.Zero);

            case Operation.Read or Operation.Write:
            {
                if (old.G == GuestState.Unused) return (s, new OpResult(old, Outcome.UnusedAccess, Gap: gap), TPage.Zero);
                var moved = Move(s, to ?? old);
                if (moved.H != HostState.Resident)
                {
                    // Nothing made the page resident: a discarded volatile page faults; a stable one (a gap) is read as
                    // its logical content and a write to it is lost, which I1 then reports.
                    if (moved.G != GuestState.Stable) return (s, new OpResult(old, Outcome.DiscardFault, Gap: gap), TPage.Zero);
                    return op.Op == Operation.Read
                        ? (moved, new OpResult(old, Outcome.Ok, Gap: gap), Content(moved, op.Cell))
                        : (moved.WithWant(op.Cell, WriteValue(moved, op.Cell)), new OpResult(old, Outcome.LostWrite, Gap: gap), TPage.Zero);
                }
                if (op.Op == Operation.Read) return (moved, new OpResult(old, Outcome.Ok, Gap: gap), moved.Mem(op.Cell));
                // A volatile page is mapped read-only; the host's move (a zero-fill in graph 2) has happened all the same.
                if (moved.G == GuestState.Volatile) return (moved, new OpResult(old, Outcome.ProtectionFault, Gap: gap), TPage.Zero);
                return (moved.WithDirty(true), new OpResult(old, Outcome.Ok, Gap: gap), TPage.Zero);
            }

            default: // a usage-state operation
            {
                var next = Move(s, to ?? old);
                var outcome = op.Op == Operation.SetStableIfPresent && next.G != GuestState.Stable ? Outcome.Failed : Outcome.Ok;
                return (next, new OpResult(old, outcome, Gap: gap), TPage.Zero);
            }
        }
    }

    /// <summary>A write's data store: the non-zero value that differs from <c>want[c]</c> (SPEC section 2).</summary>
    public static TPage StoreData(TPage s, int cell) => Store(s, cell, WriteValue(s, cell));

    /// <summary>The value a guest write of <paramref name="cell"/> stores.</summary>
    public static TCell WriteValue(TPage s, int cell) => TPage.WriteValue(s.Want(cell));

    static TPage Store(TPage s, int cell, TCell v) =>
        (s.H == HostState.Resident ? s.WithMem(cell, v) : s).WithWant(cell, v);

    /// <summary>
    /// Moves <c>(g,h)</c> and applies the content rules that follow from the move: entering or leaving U forgets what reads must return,
    /// leaving r for z drops the frame (or frees the slot), and p never holds a change bit. Entering r from z zero-fills,
    /// from p faults the slot back in: both keep <c>mem</c> as it is, because <c>mem</c> already holds that content.
    /// </summary>
    public static TPage Move(TPage s, GuestHostState to)
    {
        var next = s.With(to);
        // Entering or leaving U forgets what reads must return (SPEC §3: U→S and S/V/P→U set want:=⊥; U→U is no change).
        if ((to.G == GuestState.Unused) != (s.G == GuestState.Unused)) next = next.WithWant(0, TPage.Bottom).WithWant(1, TPage.Bottom);
        if (to.H == HostState.Zero) next = next.WithMem(0, TPage.Zero).WithMem(1, TPage.Zero).WithDirty(false);
        if (to.H == HostState.Preserved) next = next.WithDirty(false);
        if (to.H == HostState.Resident && s.H == HostState.Preserved) next = next.WithDirty(false);
        return next;
    }

    /// <summary>Guest writeback (page-cache flush): a read of the page, then <c>disk := mem, dirty := 0</c> for S and P pages.</summary>
    public static (TPage Next, OpResult Result, TCell Value) Writeback(Protocol protocol, TPage s, ref Choices choices)
    {
        var (read, result, _) = Begin(protocol, s, new PageOp(Operation.Read, 0), ref choices);
        if (result.Outcome != Outcome.Ok) return (read, result, TPage.Zero);
        if (PageMachine.WritebackCopies(read.G))
            read = read.WithDisk(0, Content(read, 0)).WithDisk(1, Content(read, 1)).WithDirty(false);
        return (read, result, TPage.Zero);
    }

    /// <summary>Guest reload after a discard: set_unused, set_stable, then each cell written with <c>disk[c]</c>; <c>want := disk</c>.</summary>
    public static (TPage Next, OpResult Result, TCell Value) Reload(Protocol protocol, TPage s, ref Choices choices)
    {
        var old = s.GH;
        var (p, r, _) = Begin(protocol, s, new PageOp(Operation.SetUnused), ref choices);
        bool gap = r.Gap;
        (p, r, _) = Begin(protocol, p, new PageOp(Operation.SetStable), ref choices);
        gap |= r.Gap;
        for (int c = 0; c < PageState.Cells; c++)
        {
            (p, r, _) = Begin(protocol, p, new PageOp(Operation.Write, (byte)c), ref choices);
            gap |= r.Gap;
            if (r.Outcome == Outcome.Ok) p = Store(p, c, p.Disk(c));
            else if (r.Outcome != Outcome.LostWrite) return (p, new OpResult(old, r.Outcome, Gap: gap), TPage.Zero);
        }
        return (p.WithWant(0, p.Disk(0)).WithWant(1, p.Disk(1)), new OpResult(old, Outcome.Ok, Gap: gap), TPage.Zero);
    }
}
