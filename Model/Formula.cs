using System.Runtime.CompilerServices;

namespace PageHintVerify.Model;

/// <summary>The fields an invariant may mention: a page's fields before or after a step, and the step itself.</summary>
public enum Var : byte { G, H, Dirty, Mem, Disk, Want, Op, Cell, Outcome, Value }

/// <summary>Whether a page field is read in the state before the step or after it (a state invariant reads <see cref="Post"/>).</summary>
public enum Moment : byte { Post, Pre }

/// <summary>A small integer-valued term: a field, a constant, or if-then-else.</summary>
#pragma warning disable CS0660, CS0661 // == builds a formula; terms are compared by FormulaEvaluator, never by Equals
public abstract class Term
{
    public static Term Of(Var v, int cell = 0, Moment at = Moment.Post) => new FieldTerm(v, cell, at);
    public static Term Const(int value) => new ConstTerm(value);
    public static Term If(Formula condition, Term then, Term otherwise) => new IfTerm(condition, then, otherwise);

    public static Formula operator ==(Term a, Term b) => new EqualsFormula(a, b);
    public static Formula operator !=(Term a, Term b) => !new EqualsFormula(a, b);

    /// <summary>The term folded bottom-up by <paramref name="fold"/> (see <see cref="IFormulaFold{TBool, TInt}"/>).</summary>
    public abstract TInt Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold);
}
#pragma warning restore CS0660, CS0661

public sealed class FieldTerm(Var var, int cell, Moment at) : Term
{
    public Var Var { get; } = var;
    public int Cell { get; } = cell;
    public Moment At { get; } = at;

    public override TInt Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold) => fold.Field(this);

    public override string ToString() =>
        (At == Moment.Pre ? "pre." : "") + Var.ToString().ToLowerInvariant() + (Var is Var.Mem or Var.Disk or Var.Want ? $"[{Cell}]" : "");
}

public sealed class ConstTerm(int value) : Term
{
    public int Value { get; } = value;

    public override TInt Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold) => fold.Const(Value);

    public override string ToString() => Value.ToString();
}

public sealed class IfTerm(Formula condition, Term then, Term otherwise) : Term
{
    public Formula Condition { get; } = condition;
    public Term Then { get; } = then;
    public Term Otherwise { get; } = otherwise;

    public override TInt Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold)
    {
        var condition = Condition.Fold(fold);
        var then = Then.Fold(fold);
        return fold.If(condition, then, Otherwise.Fold(fold));
    }

    public override string ToString() => $"(if {Condition} then {Then} else {Otherwise})";
}

/// <summary>A boolean formula over <see cref="Term"/>s.</summary>
public abstract record Formula
{
    public static Formula operator &(Formula a, Formula b) => new AndFormula([a, b]);
    public static Formula operator |(Formula a, Formula b) => new OrFormula([a, b]);
    public static Formula operator !(Formula a) => new NotFormula(a);
    /// <summary>Implication. A method, not an operator: C#'s comparison operators bind tighter than <c>&amp;</c>.</summary>
    public static Formula Implies(Formula condition, Formula consequence) => new ImpliesFormula(condition, consequence);

    /// <summary>The formula for each of the page's cells, conjoined.</summary>
    public static Formula ForAllCells(Func<int, Formula> body) =>
        new AndFormula(Enumerable.Range(0, PageState.Cells).Select(body).ToArray());

    /// <summary>The formula folded bottom-up by <paramref name="fold"/>, children left to right.</summary>
    public abstract TBool Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold);
}

/// <summary>
/// One function per node kind of the formula language, each given its children already folded. Every traversal of a
/// formula (evaluation, the field collector, Z3, Promela) is one of these, so a new node kind is a compile error in each.
/// </summary>
public interface IFormulaFold<TBool, TInt>
{
    TInt Field(FieldTerm field);
    TInt Const(int value);
    TInt If(TBool condition, TInt then, TInt otherwise);
    TBool Equal(TInt left, TInt right);
    TBool Not(TBool inner);
    TBool And(TBool[] parts);
    TBool Or(TBool[] parts);
    TBool Implies(TBool condition, TBool consequence);
}

public sealed record EqualsFormula(Term Left, Term Right) : Formula
{
    public override TBool Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold)
    {
        var left = Left.Fold(fold);
        return fold.Equal(left, Right.Fold(fold));
    }

    public override string ToString() => $"{Left} = {Right}";
}

public sealed record NotFormula(Formula Inner) : Formula
{
    public override TBool Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold) => fold.Not(Inner.Fold(fold));

    public override string ToString() => $"¬({Inner})";
}

public sealed record AndFormula(Formula[] Parts) : Formula
{
    public override TBool Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold) => fold.And(FoldAll(Parts, fold));

    internal static TBool[] FoldAll<TBool, TInt>(Formula[] parts, IFormulaFold<TBool, TInt> fold) =>
        Array.ConvertAll(parts, p => p.Fold(fold));

    public override string ToString() => "(" + string.Join(" ∧ ", Parts.Select(p => p.ToString())) + ")";
}

public sealed record OrFormula(Formula[] Parts) : Formula
{
    public override TBool Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold) => fold.Or(AndFormula.FoldAll(Parts, fold));

    public override string ToString() => "(" + string.Join(" ∨ ", Parts.Select(p => p.ToString())) + ")";
}

public sealed record ImpliesFormula(Formula If, Formula Then) : Formula
{
    public override TBool Fold<TBool, TInt>(IFormulaFold<TBool, TInt> fold)
    {
        var condition = If.Fold(fold);
        return fold.Implies(condition, Then.Fold(fold));
    }

    public override string ToString() => $"({If} ⇒ {Then})";
}

/// <summary>
/// The facts one step offers an invariant, packed in one word: the page before (17 bits) and after (17), the operation (4),
/// the cell (1), the outcome (3) and the value read (2). A state invariant sees only the page after.
/// </summary>
public readonly record struct StepFacts(ulong Bits)
{
    const int PostShift = 0, PreShift = 17, OpShift = 34, CellShift = 38, OutcomeShift = 39, ValueShift = 42;
    public const int Width = 44;

    public static StepFacts Of(PageState pre, PageOp op, OpResult result, PageState post) => new(
        ((ulong)post.Bits << PostShift) | ((ulong)pre.Bits << PreShift) | ((ulong)op.Op << OpShift) |
        ((ulong)op.Cell << CellShift) | ((ulong)result.Outcome << OutcomeShift) | ((ulong)(result.Value & 3) << ValueShift));

    public static StepFacts OfState(PageState page) => new(page.Bits);

    /// <summary>Where a field lives in <see cref="Bits"/>: its offset and width.</summary>
    public static (int Offset, int Width) Location(FieldTerm f)
    {
        int page = f.At == Moment.Pre ? PreShift : PostShift;
        return f.Var switch
        {
            Var.G => (page + 0, 2),
            Var.H => (page + 2, 2),
            Var.Dirty => (page + 4, 1),
            Var.Mem => (page + 5 + 2 * f.Cell, 2),
            Var.Disk => (page + 9 + 2 * f.Cell, 2),
            Var.Want => (page + 13 + 2 * f.Cell, 2),
            Var.Op => (OpShift, 4),
            Var.Cell => (CellShift, 1),
            Var.Outcome => (OutcomeShift, 3),
            _ => (ValueShift, 2),
        };
    }

    public int Get(FieldTerm f)
    {
        var (offset, width) = Location(f);
        return (int)((Bits >> offset) & ((1UL << width) - 1));
    }
}

/// <summary>
/// Evaluates a formula directly on a step's facts: slow, obviously right, and the ground truth for the tables. A formula
/// is folded once into a predicate (kept beside it), which short-circuits as C# does.
/// </summary>
public static class FormulaEvaluator
{
    static readonly ConditionalWeakTable<Formula, Func<StepFacts, bool>> Compiled = new();

    public static bool Holds(Formula f, StepFacts facts) => Compiled.GetValue(f, g => g.Fold(Predicates.Instance))(facts);

    public static int Value(Term t, StepFacts facts) => t.Fold(Predicates.Instance)(facts);

    sealed class Predicates : IFormulaFold<Func<StepFacts, bool>, Func<StepFacts, int>>
    {
        public static readonly Predicates Instance = new();

        public Func<StepFacts, int> Field(FieldTerm field) => facts => facts.Get(field);
        public Func<StepFacts, int> Const(int value) => _ => value;
        public Func<StepFacts, int> If(Func<StepFacts, bool> condition, Func<StepFacts, int> then, Func<StepFacts, int> otherwise) =>
            facts => condition(facts) ? then(facts) : otherwise(facts);
        public Func<StepFacts, bool> Equal(Func<StepFacts, int> left, Func<StepFacts, int> right) => facts => left(facts) == right(facts);
        public Func<StepFacts, bool> Not(Func<StepFacts, bool> inner) => facts => !inner(facts);
        public Func<StepFacts, bool> And(Func<StepFacts, bool>[] parts) => facts => Array.TrueForAll(parts, p => p(facts));
        public Func<StepFacts, bool> Or(Func<StepFacts, bool>[] parts) => facts => Array.Exists(parts, p => p(facts));
        public Func<StepFacts, bool> Implies(Func<StepFacts, bool> condition, Func<StepFacts, bool> consequence) =>
            facts => !condition(facts) || consequence(facts);
    }

    /// <summary>The fields a formula reads, each once, in the order it reads them.</summary>
    public static IReadOnlyList<FieldTerm> Fields(Formula f)
    {
        var collector = new FieldCollector();
        f.Fold(collector);
        return collector.Found;
    }

    sealed class FieldCollector : IFormulaFold<bool, bool>
    {
        public readonly List<FieldTerm> Found = [];

        public bool Field(FieldTerm field)
        {
            if (!Found.Any(x => x.Var == field.Var && x.Cell == field.Cell && x.At == field.At)) Found.Add(field);
            return true;
        }
        public bool Const(int value) => true;
        public bool If(bool condition, bool then, bool otherwise) => true;
        public bool Equal(bool left, bool right) => true;
        public bool Not(bool inner) => true;
        public bool And(bool[] parts) => true;
        public bool Or(bool[] parts) => true;
        public bool Implies(bool condition, bool consequence) => true;
    }
}

/// <summary>
/// The checker's evaluator: a group of invariants compiled to one lookup table indexed by exactly the bits of the fields
/// they read, holding the mask of invariants violated. Built by running <see cref="FormulaEvaluator"/> on every index,
/// so the table cannot drift from the formulas.
/// </summary>
public sealed class InvariantTable
{
    readonly (int Offset, int Width)[] _fields;
    readonly byte[] _violations;

    public IReadOnlyList<Invariant> Invariants { get; }

    public InvariantTable(IReadOnlyList<Invariant> invariants)
    {
        if (invariants.Count > 8) throw new ArgumentException("at most 8 invariants fit a byte mask", nameof(invariants));
        Invariants = invariants;
        _fields = invariants.SelectMany(i => FormulaEvaluator.Fields(i.Holds)).Select(StepFacts.Location).Distinct()
            .OrderBy(l => l.Offset).ToArray();
        int keyBits = _fields.Sum(f => f.Width);
        if (keyBits > 24) throw new ArgumentException($"the invariants read {keyBits} bits, too many for a table", nameof(invariants));
        _violations = new byte[1 << keyBits];
        for (int key = 0; key < _violations.Length; key++)
        {
            var facts = Scatter(key);
            byte mask = 0;
            for (int i = 0; i < invariants.Count; i++)
                if (!FormulaEvaluator.Holds(invariants[i].Holds, facts)) mask |= (byte)(1 << i);
            _violations[key] = mask;
        }
    }

    StepFacts Scatter(int key)
    {
        ulong bits = 0;
        int pos = 0;
        foreach (var (offset, width) in _fields)
        {
            bits |= (ulong)((key >> pos) & ((1 << width) - 1)) << offset;
            pos += width;
        }
        return new StepFacts(bits);
    }

    /// <summary>Bit i is set when <see cref="Invariants"/>[i] is violated by these facts.</summary>
    public int Violations(StepFacts facts)
    {
        int key = 0, pos = 0;
        foreach (var (offset, width) in _fields)
        {
            key |= (int)((facts.Bits >> offset) & ((1UL << width) - 1)) << pos;
            pos += width;
        }
        return _violations[key];
    }

    public static InvariantTable StateInvariants { get; } = new(Model.Invariants.All.Where(i => i.Kind == InvariantKind.State).ToList());
    public static InvariantTable TransitionInvariants { get; } = new(Model.Invariants.All.Where(i => i.Kind == InvariantKind.Transition).ToList());
}
