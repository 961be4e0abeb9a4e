using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// One page after a step, as terms over the page before it (<see cref="Moment.Pre"/> fields). <c>(g,h)</c> and the change
/// bit are concrete: the step relation is split into cases by them, so every branch of <see cref="PageMachine"/> is
/// decided and only cell contents stay symbolic.
/// </summary>
public sealed record SymbolicPage(GuestHostState GH, bool Dirty, Term[] Mem, Term[] Disk, Term[] Want)
{
    /// <summary>The page before the step in the case (<paramref name="gh"/>, <paramref name="dirty"/>).</summary>
    public static SymbolicPage Before(GuestHostState gh, bool dirty) => new(gh, dirty,
        Cells(c => Term.Of(Var.Mem, c, Moment.Pre)), Cells(c => Term.Of(Var.Disk, c, Moment.Pre)),
        Cells(c => Term.Of(Var.Want, c, Moment.Pre)));

    static Term[] Cells(Func<int, Term> cell) => Enumerable.Range(0, PageState.Cells).Select(cell).ToArray();

    public GuestState G => GH.G;
    public HostState H => GH.H;

    /// <summary><see cref="PageState.Content"/>.</summary>
    public Term Content(int c) => H == HostState.Zero ? Term.Const(0) : Mem[c];

    public SymbolicPage With(GuestHostState gh) => this with { GH = gh };
    public SymbolicPage WithDirty(bool dirty) => this with { Dirty = dirty };
    public SymbolicPage WithMem(int c, Term v) => this with { Mem = Replace(Mem, c, v) };
    public SymbolicPage WithDisk(int c, Term v) => this with { Disk = Replace(Disk, c, v) };
    public SymbolicPage WithWant(int c, Term v) => this with { Want = Replace(Want, c, v) };

    static Term[] Replace(Term[] cells, int c, Term v)
    {
        var copy = (Term[])cells.Clone();
        copy[c] = v;
        return copy;
    }

    /// <summary>The value of each field after the step, as the formula <c>post.field = term</c> for every field.</summary>
    public Formula IsPost() => new AndFormula(
    [
        Term.Of(Var.G) == Term.Const((int)G), Term.Of(Var.H) == Term.Const((int)H), Term.Of(Var.Dirty) == Term.Const(Dirty ? 1 : 0),
        .. Enumerable.Range(0, PageState.Cells).SelectMany(c => new[]
        {
            Term.Of(Var.Mem, c) == Mem[c], Term.Of(Var.Disk, c) == Disk[c], Term.Of(Var.Want, c) == Want[c],
        }),
    ]);
}

/// <summary>What one step does, symbolically: the page after, the outcome, and the value returned (a term: reads return content).</summary>
public sealed record SymbolicStep(SymbolicPage Next, Outcome Outcome, Term Value)
{
    /// <summary>Every field and term, so that two steps print alike exactly when they are the same step.</summary>
    public override string ToString() =>
        $"{Next.GH} d={(Next.Dirty ? 1 : 0)} mem=({string.Join(", ", Next.Mem.AsEnumerable())}) disk=({string.Join(", ", Next.Disk.AsEnumerable())}) "
        + $"want=({string.Join(", ", Next.Want.AsEnumerable())}) {Outcome} value={Value}";

    /// <summary>The step's facts as one formula over <c>post.*</c>, <c>outcome</c> and <c>value</c>.</summary>
    public Formula IsStep() => Next.IsPost() & (Term.Of(Var.Outcome) == Term.Const((int)Outcome)) & (Term.Of(Var.Value) == Value);
}

/// <summary>
/// A line-by-line mirror of <see cref="PageMachine"/> over <see cref="SymbolicPage"/>: the same protocol lookups and content
/// rules, producing terms instead of values, so Z3 can reason about every cell content at once. A test runs it against
/// PageMachine on every page state and operation, so the two cannot drift.
/// </summary>
public static class SymbolicPageMachine
{
    static readonly Term Zero = Term.Const(0), Bottom = Term.Const(PageState.Bottom);

    /// <summary>
    /// Every outcome of the step, one per combination of the protocol's choices (<see cref="PageMachine.Outcomes"/>
    /// enumerates them in the same order); a deterministic protocol gives one.
    /// </summary>
    public static IReadOnlyList<SymbolicStep> Outcomes(Protocol protocol, SymbolicPage s, PageOp op)
    {
        var outcomes = new List<SymbolicStep>();
        var seen = new HashSet<string>();
        var choices = Choices.Enumerating();
        do
        {
            // Many combinations of choices end in the same step (a reload meets four choice points): keep each once,
            // or a graph nondeterministic everywhere gives Z3 thousands of copies of every case.
            var step = Apply(protocol, s, op, ref choices);
            if (seen.Add(step.ToString())) outcomes.Add(step);
        } while (choices.Advance());
        return outcomes;
    }

    static SymbolicStep Apply(Protocol protocol, SymbolicPage s, PageOp op, ref Choices choices)
    {
        switch (op.Op)
        {
            case Operation.Write:
                var step = Begin(protocol, s, op, ref choices);
                return step.Outcome == Outcome.Ok ? step with { Next = StoreData(step.Next, op.Cell) } : step;
            case Operation.Writeback:
                return Writeback(protocol, s, ref choices);
            case Operation.Reload:
                return Reload(protocol, s, ref choices);
            default:
                return Begin(protocol, s, op, ref choices);
        }
    }

    static SymbolicStep Begin(Protocol protocol, SymbolicPage s, PageOp op, ref Choices choices)
    {
        var old = s.GH;
        int targets = protocol.TargetCount(old, op.Op, s.Dirty);
        GuestHostState? to = targets == 0 ? (GuestHostState?)null : protocol.Target(old, op.Op, s.Dirty, choices.Pick(targets, protocol, old, op.Op));
        switch (op.Op)
        {
            case Operation.HostReclaim:
                return to is { } t ? new(Move(s, t), Outcome.Ok, Zero) : new(s, Outcome.NotEnabled, Zero);

            case Operation.Read or Operation.Write:
            {
                if (old.G == GuestState.Unused) return new(s, Outcome.UnusedAccess, Zero);
                var moved = Move(s, to ?? old);
                if (moved.H != HostState.Resident)
                {
                    if (moved.G != GuestState.Stable) return new(s, Outcome.DiscardFault, Zero);
                    return op.Op == Operation.Read
                        ? new(moved, Outcome.Ok, moved.Content(op.Cell))
                        : new(moved.WithWant(op.Cell, WriteValue(moved, op.Cell)), Outcome.LostWrite, Zero);
                }
                if (op.Op == Operation.Read) return new(moved, Outcome.Ok, moved.Mem[op.Cell]);
                if (moved.G == GuestState.Volatile) return new(moved, Outcome.ProtectionFault, Zero);
                return new(moved.WithDirty(true), Outcome.Ok, Zero);
            }

            default:
            {
                var next = Move(s, to ?? old);
                var outcome = op.Op == Operation.SetStableIfPresent && next.G != GuestState.Stable ? Outcome.Failed : Outcome.Ok;
                return new(next, outcome, Zero);
            }
        }
    }

    static SymbolicPage StoreData(SymbolicPage s, int cell) => Store(s, cell, WriteValue(s, cell));

    static Term WriteValue(SymbolicPage s, int cell) => Term.If(s.Want[cell] == Term.Const(1), Term.Const(2), Term.Const(1));

    static SymbolicPage Store(SymbolicPage s, int cell, Term v) =>
        (s.H == HostState.Resident ? s.WithMem(cell, v) : s).WithWant(cell, v);

    static SymbolicPage Move(SymbolicPage s, GuestHostState to)
    {
        var next = s.With(to);
        if ((to.G == GuestState.Unused) != (s.G == GuestState.Unused)) next = next.WithWant(0, Bottom).WithWant(1, Bottom);
        if (to.H == HostState.Zero) next = next.WithMem(0, Zero).WithMem(1, Zero).WithDirty(false);
        if (to.H == HostState.Preserved) next = next.WithDirty(false);
        if (to.H == HostState.Resident && s.H == HostState.Preserved) next = next.WithDirty(false);
        return next;
    }

    static SymbolicStep Writeback(Protocol protocol, SymbolicPage s, ref Choices choices)
    {
        var read = Begin(protocol, s, new PageOp(Operation.Read, 0), ref choices);
        if (read.Outcome != Outcome.Ok) return read with { Value = Zero };
        var page = read.Next;
        if (PageMachine.WritebackCopies(page.G))
            page = page.WithDisk(0, page.Content(0)).WithDisk(1, page.Content(1)).WithDirty(false);
        return new(page, read.Outcome, Zero);
    }

    static SymbolicStep Reload(Protocol protocol, SymbolicPage s, ref Choices choices)
    {
        var p = Begin(protocol, s, new PageOp(Operation.SetUnused), ref choices).Next;
        p = Begin(protocol, p, new PageOp(Operation.SetStable), ref choices).Next;
        for (int c = 0; c < PageState.Cells; c++)
        {
            var write = Begin(protocol, p, new PageOp(Operation.Write, (byte)c), ref choices);
            p = write.Next;
            if (write.Outcome == Outcome.Ok) p = Store(p, c, p.Disk[c]);
            else if (write.Outcome != Outcome.LostWrite) return new(p, write.Outcome, Zero);
        }
        return new(p.WithWant(0, p.Disk[0]).WithWant(1, p.Disk[1]), Outcome.Ok, Zero);
    }
}
