using Microsoft.Z3;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// Translates the invariants' own <see cref="Formula"/>/<see cref="Term"/> AST into Z3, over one step's facts: the page
/// before and after, the operation, cell, outcome and value, each a bounded integer constant. The same AST the checker
/// evaluates, so there is no second copy of an invariant. Use only inside <see cref="Z3Session.Run{T}"/>.
/// </summary>
public sealed class Z3Encoding(Context context)
{
    /// <summary>The values each field may take (SPEC section 2, and the enums of Operation.cs).</summary>
    public static (int Min, int Max) Range(Var v) => v switch
    {
        Var.G => (0, 3),
        Var.H => (0, 2),
        Var.Dirty => (0, 1),
        Var.Mem or Var.Disk => (0, 2),
        Var.Want => (0, PageState.Bottom),
        Var.Op => (0, PageOp.OperationCount - 1),
        Var.Cell => (0, PageState.Cells - 1),
        Var.Outcome => (0, (int)Outcome.LostWrite),
        _ => (0, 2), // Value: a read returns a cell's content
    };

    /// <summary>Every field one step offers, each once (page fields for each cell, before and after).</summary>
    public static IReadOnlyList<FieldTerm> AllFields { get; } = EnumerateFields().ToArray();

    static IEnumerable<FieldTerm> EnumerateFields()
    {
        foreach (var at in new[] { Moment.Pre, Moment.Post })
            foreach (var v in new[] { Var.G, Var.H, Var.Dirty, Var.Mem, Var.Disk, Var.Want })
                for (int c = 0; c < (v is Var.Mem or Var.Disk or Var.Want ? PageState.Cells : 1); c++)
                    yield return new FieldTerm(v, c, at);
        foreach (var v in new[] { Var.Op, Var.Cell, Var.Outcome, Var.Value })
            yield return new FieldTerm(v, 0, Moment.Post);
    }

    readonly Dictionary<(Var, int, Moment), IntExpr> _constants = new();

    /// <summary>The Z3 constant of a field; fields without a cell (g, op, …) ignore <see cref="FieldTerm.Cell"/>, and
    /// step fields (op, cell, outcome, value) ignore <see cref="FieldTerm.At"/>, as <see cref="StepFacts"/> does.</summary>
    public IntExpr Field(FieldTerm f)
    {
        var key = Key(f);
        if (!_constants.TryGetValue(key, out var constant))
        {
            var (v, cell, at) = key;
            _constants[key] = constant = context.MkIntConst(new FieldTerm(v, cell, at).ToString());
        }
        return constant;
    }

    static (Var, int, Moment) Key(FieldTerm f)
    {
        bool perCell = f.Var is Var.Mem or Var.Disk or Var.Want, perPage = f.Var <= Var.Want;
        return (f.Var, perCell ? f.Cell : 0, perPage ? f.At : Moment.Post);
    }

    /// <summary>Every field within its <see cref="Range"/>.</summary>
    public BoolExpr Domain() => context.MkAnd(AllFields.Select(f =>
    {
        var (min, max) = Range(f.Var);
        var x = Field(f);
        return context.MkAnd(context.MkGe(x, context.MkInt(min)), context.MkLe(x, context.MkInt(max)));
    }));

    public BoolExpr Translate(Formula f) => f.Fold(new Translation(this, context));

    public IntExpr Translate(Term t) => t.Fold(new Translation(this, context));

    /// <summary>Each node as the Z3 expression of the same meaning, built on the encoding's context (and so its thread).</summary>
    sealed class Translation(Z3Encoding encoding, Context z3) : IFormulaFold<BoolExpr, IntExpr>
    {
        public IntExpr Field(FieldTerm field) => encoding.Field(field);
        public IntExpr Const(int value) => z3.MkInt(value);
        public IntExpr If(BoolExpr condition, IntExpr then, IntExpr otherwise) => (IntExpr)z3.MkITE(condition, then, otherwise);
        public BoolExpr Equal(IntExpr left, IntExpr right) => z3.MkEq(left, right);
        public BoolExpr Not(BoolExpr inner) => z3.MkNot(inner);
        public BoolExpr And(BoolExpr[] parts) => z3.MkAnd(parts);
        public BoolExpr Or(BoolExpr[] parts) => z3.MkOr(parts);
        public BoolExpr Implies(BoolExpr condition, BoolExpr consequence) => z3.MkImplies(condition, consequence);
    }

    /// <summary>Z3's verdict on a formula with every field fixed to its value in <paramref name="facts"/>: the formula's
    /// translation with the fields substituted, simplified to true or false.</summary>
    public bool Holds(BoolExpr formula, StepFacts facts)
    {
        var fields = AllFields.Select(Field).ToArray<Expr>();
        var values = AllFields.Select(f => (Expr)context.MkInt(facts.Get(f))).ToArray();
        var result = formula.Substitute(fields, values).Simplify();
        if (result.IsTrue) return true;
        if (result.IsFalse) return false;
        throw new InvalidOperationException($"Z3 did not reduce {formula} to a truth value with every field fixed: {result}");
    }

    /// <summary>Every field equal to its value in <paramref name="facts"/>.</summary>
    public BoolExpr Fixed(StepFacts facts) =>
        context.MkAnd(AllFields.Select(f => context.MkEq(Field(f), context.MkInt(facts.Get(f)))));

    /// <summary>The step a model describes, read back into the packed form the checker uses.</summary>
    public StepFacts Read(Microsoft.Z3.Model model)
    {
        ulong bits = 0;
        foreach (var f in AllFields)
        {
            int value = ((IntNum)model.Eval(Field(f), completion: true)).Int;
            var (offset, width) = StepFacts.Location(f);
            bits |= (ulong)(value & ((1 << width) - 1)) << offset;
        }
        return new StepFacts(bits);
    }
}
