using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// One page after a step, as terms over the page before it (<see cref="Moment.Pre"/> fields). <c>(g,h)</c> and the change
/// bit are concrete: the step relation is split into cases by them, so every branch of <see cref="PageMachine{TPage, TCell}"/>
/// is decided and only cell contents stay symbolic.
/// </summary>
public readonly record struct SymbolicPage(GuestHostState GH, bool Dirty, Term[] MemCells, Term[] DiskCells, Term[] WantCells)
    : IPage<SymbolicPage, Term>
{
    static readonly Term ZeroTerm = Term.Const(0), BottomTerm = Term.Const(PageState.Bottom), One = Term.Const(1), Two = Term.Const(2);

    /// <summary>The page before the step in the case (<paramref name="gh"/>, <paramref name="dirty"/>).</summary>
    public static SymbolicPage Before(GuestHostState gh, bool dirty) => new(gh, dirty,
        Cells(c => Term.Of(Var.Mem, c, Moment.Pre)), Cells(c => Term.Of(Var.Disk, c, Moment.Pre)),
        Cells(c => Term.Of(Var.Want, c, Moment.Pre)));

    static Term[] Cells(Func<int, Term> cell) => Enumerable.Range(0, PageState.Cells).Select(cell).ToArray();

    public GuestState G => GH.G;
    public HostState H => GH.H;
    public Term Mem(int c) => MemCells[c];
    public Term Disk(int c) => DiskCells[c];
    public Term Want(int c) => WantCells[c];

    public SymbolicPage With(GuestHostState gh) => this with { GH = gh };
    public SymbolicPage WithDirty(bool dirty) => this with { Dirty = dirty };
    public SymbolicPage WithMem(int c, Term v) => this with { MemCells = Replace(MemCells, c, v) };
    public SymbolicPage WithDisk(int c, Term v) => this with { DiskCells = Replace(DiskCells, c, v) };
    public SymbolicPage WithWant(int c, Term v) => this with { WantCells = Replace(WantCells, c, v) };

    static Term IPage<SymbolicPage, Term>.Zero => ZeroTerm;
    static Term IPage<SymbolicPage, Term>.Bottom => BottomTerm;
    static Term IPage<SymbolicPage, Term>.WriteValue(Term want) => Term.If(want == One, Two, One);

    static Term[] Replace(Term[] cells, int c, Term v)
    {
        var copy = (Term[])cells.Clone();
        copy[c] = v;
        return copy;
    }

    /// <summary>The value of each field after the step, as the formula <c>post.field = term</c> for every field.</summary>
    public Formula IsPost()
    {
        var (mem, disk, want) = (MemCells, DiskCells, WantCells);
        return new AndFormula(
        [
            Term.Of(Var.G) == Term.Const((int)G), Term.Of(Var.H) == Term.Const((int)H), Term.Of(Var.Dirty) == Term.Const(Dirty ? 1 : 0),
            .. Enumerable.Range(0, PageState.Cells).SelectMany(c => new[]
            {
                Term.Of(Var.Mem, c) == mem[c], Term.Of(Var.Disk, c) == disk[c], Term.Of(Var.Want, c) == want[c],
            }),
        ]);
    }
}

/// <summary>What one step does, symbolically: the page after, the outcome, and the value returned (a term: reads return content).</summary>
public sealed record SymbolicStep(SymbolicPage Next, Outcome Outcome, Term Value)
{
    /// <summary>
    /// Every outcome of <see cref="PageMachine{TPage, TCell}"/>'s step on <paramref name="s"/>, one per distinct combination
    /// of the protocol's choices, in the order <see cref="PageMachine.Outcomes"/> enumerates them; a deterministic protocol gives one.
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
            var (next, result, value) = PageMachine<SymbolicPage, Term>.Apply(protocol, s, op, ref choices);
            var step = new SymbolicStep(next, result.Outcome, value);
            if (seen.Add(step.ToString())) outcomes.Add(step);
        } while (choices.Advance());
        return outcomes;
    }

    /// <summary>Every field and term, so that two steps print alike exactly when they are the same step.</summary>
    public override string ToString() =>
        $"{Next.GH} d={(Next.Dirty ? 1 : 0)} mem=({string.Join(", ", Next.MemCells.AsEnumerable())}) disk=({string.Join(", ", Next.DiskCells.AsEnumerable())}) "
        + $"want=({string.Join(", ", Next.WantCells.AsEnumerable())}) {Outcome} value={Value}";

    /// <summary>The step's facts as one formula over <c>post.*</c>, <c>outcome</c> and <c>value</c>.</summary>
    public Formula IsStep() => Next.IsPost() & (Term.Of(Var.Outcome) == Term.Const((int)Outcome)) & (Term.Of(Var.Value) == Value);
}
