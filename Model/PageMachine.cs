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
    public static (PageState Next, OpResult Result) Apply(Protocol protocol, PageState s, PageOp op, ref Choices choices)
    {
        switch (op.Op)
        {
            case Operation.Write:
                var (next, result) = Begin(protocol, s, op, ref choices);
                return result.Outcome == Outcome.Ok ? (StoreData(next, op.Cell), result) : (next, result);
            case Operation.Writeback:
                return Writeback(protocol, s, ref choices);
            case Operation.Reload:
                return Reload(protocol, s, ref choices);
            default:
                return Begin(protocol, s, op, ref choices);
        }
    }

    /// <summary>
    /// Everything an operation does except a write's data store: the usage-state change, the host's part of an access
    /// (fault-in, zero-fill) and, for a write, setting the change bit. A write that ends Ok still owes <see cref="StoreData"/>.
    /// Where the protocol offers several targets, <paramref name="choices"/> picks one.
    /// </summary>
    public static (PageState Next, OpResult Result) Begin(Protocol protocol, PageState s, PageOp op, ref Choices choices)
    {
        var old = s.GH;
        int targets = protocol.TargetCount(old, op.Op, s.Dirty);
        GuestHostState? to = targets == 0 ? (GuestHostState?)null : protocol.Target(old, op.Op, s.Dirty, choices.Pick(targets, protocol, old, op.Op));
        bool gap = to is null && Protocol.NeedsEdge(old, op.Op);
        switch (op.Op)
        {
            case Operation.HostReclaim:
                return to is { } t ? (Move(s, t), new OpResult(old, Outcome.Ok)) : (s, new OpResult(old, Outcome.NotEnabled));

            case Operation.Read or Operation.Write:
            {
                if (old.G == GuestState.Unused) return (s, new OpResult(old, Outcome.UnusedAccess, Gap: gap));
                var moved = Move(s, to ?? old);
                if (moved.H != HostState.Resident)
                {
                    // Nothing made the page resident: a discarded volatile page faults; a stable one (a gap) is read as
                    // its logical content and a write to it is lost, which I1 then reports.
                    if (moved.G != GuestState.Stable) return (s, new OpResult(old, Outcome.DiscardFault, Gap: gap));
                    return op.Op == Operation.Read
                        ? (moved, new OpResult(old, Outcome.Ok, moved.Content(op.Cell), gap))
                        : (moved.WithWant(op.Cell, WriteValue(moved, op.Cell)), new OpResult(old, Outcome.LostWrite, Gap: gap));
                }
                if (op.Op == Operation.Read) return (moved, new OpResult(old, Outcome.Ok, moved.Mem(op.Cell), gap));
                // A volatile page is mapped read-only; the host's move (a zero-fill in graph 2) has happened all the same.
                if (moved.G == GuestState.Volatile) return (moved, new OpResult(old, Outcome.ProtectionFault, Gap: gap));
                return (moved.WithDirty(true), new OpResult(old, Outcome.Ok, Gap: gap));
            }

            default: // a usage-state operation
            {
                var next = Move(s, to ?? old);
                var outcome = op.Op == Operation.SetStableIfPresent && next.G != GuestState.Stable ? Outcome.Failed : Outcome.Ok;
                return (next, new OpResult(old, outcome, Gap: gap));
            }
        }
    }

    /// <summary>A write's data store: the non-zero value that differs from <c>want[c]</c> (SPEC section 2).</summary>
    public static PageState StoreData(PageState s, int cell) => Store(s, cell, WriteValue(s, cell));

    /// <summary>The value a guest write stores: 1 unless want[c] is 1, then 2.</summary>
    public static byte WriteValue(PageState s, int cell) => s.Want(cell) == 1 ? (byte)2 : (byte)1;

    static PageState Store(PageState s, int cell, byte v) =>
        (s.H == HostState.Resident ? s.WithMem(cell, v) : s).WithWant(cell, v);

    /// <summary>
    /// Moves <c>(g,h)</c> and applies the content rules that follow from the move: entering or leaving U forgets what reads must return,
    /// leaving r for z drops the frame (or frees the slot), and p never holds a change bit. Entering r from z zero-fills,
    /// from p faults the slot back in: both keep <c>mem</c> as it is, because <c>mem</c> already holds that content.
    /// </summary>
    public static PageState Move(PageState s, GuestHostState to)
    {
        var next = s.With(to);
        // Entering or leaving U forgets what reads must return (SPEC §3: U→S and S/V/P→U set want:=⊥; U→U is no change).
        if ((to.G == GuestState.Unused) != (s.G == GuestState.Unused)) next = next.WithWant(0, PageState.Bottom).WithWant(1, PageState.Bottom);
        if (to.H == HostState.Zero) next = next.WithMem(0, 0).WithMem(1, 0).WithDirty(false);
        if (to.H == HostState.Preserved) next = next.WithDirty(false);
        if (to.H == HostState.Resident && s.H == HostState.Preserved) next = next.WithDirty(false);
        return next;
    }

    /// <summary>Whether writeback copies a page of this guest state to disk: S and P pages, whose content the guest owns.</summary>
    public static bool WritebackCopies(GuestState g) => g is GuestState.Stable or GuestState.PotentiallyVolatile;

    /// <summary>Guest writeback (page-cache flush): a read of the page, then <c>disk := mem, dirty := 0</c> for S and P pages.</summary>
    public static (PageState Next, OpResult Result) Writeback(Protocol protocol, PageState s, ref Choices choices)
    {
        var (read, result) = Begin(protocol, s, new PageOp(Operation.Read, 0), ref choices);
        if (result.Outcome != Outcome.Ok) return (read, result with { Value = 0 });
        if (WritebackCopies(read.G))
            read = read.WithDisk(0, read.Content(0)).WithDisk(1, read.Content(1)).WithDirty(false);
        return (read, result with { Value = 0 });
    }

    /// <summary>Guest reload after a discard: set_unused, set_stable, then each cell written with <c>disk[c]</c>; <c>want := disk</c>.</summary>
    public static (PageState Next, OpResult Result) Reload(Protocol protocol, PageState s, ref Choices choices)
    {
        var old = s.GH;
        var (p, r) = Begin(protocol, s, new PageOp(Operation.SetUnused), ref choices);
        bool gap = r.Gap;
        (p, r) = Begin(protocol, p, new PageOp(Operation.SetStable), ref choices);
        gap |= r.Gap;
        for (int c = 0; c < PageState.Cells; c++)
        {
            (p, r) = Begin(protocol, p, new PageOp(Operation.Write, (byte)c), ref choices);
            gap |= r.Gap;
            if (r.Outcome == Outcome.Ok) p = Store(p, c, p.Disk(c));
            else if (r.Outcome != Outcome.LostWrite) return (p, new OpResult(old, r.Outcome, Gap: gap));
        }
        return (p.WithWant(0, p.Disk(0)).WithWant(1, p.Disk(1)), new OpResult(old, Outcome.Ok, Gap: gap));
    }
}
