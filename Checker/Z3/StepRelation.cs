using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// A variant's single-page step relation as one <see cref="Formula"/> over a step's facts: for every case of the page before
/// (each <c>(g,h)</c>, valid or not, and each change bit) and every operation, the page after, outcome and value given by
/// <see cref="SymbolicStep.Outcomes"/>. The cases cover the whole domain, so the relation is total; where a nondeterministic
/// protocol offers several targets, a case allows any of its outcomes (a relation, not a function).
/// </summary>
public static class StepRelation
{
    /// <summary>The cases the relation is split into: the page's <c>(g,h)</c> and change bit, and the operation.</summary>
    public static IEnumerable<(GuestHostState GH, bool Dirty, PageOp Op)> Cases() =>
        from gh in GuestHostState.All
        from dirty in new[] { false, true }
        from op in PageOp.All
        select (gh, dirty, op);

    /// <summary>The steps a case allows, as one formula: any of its outcomes.</summary>
    public static Formula Case(Protocol protocol, GuestHostState gh, bool dirty, PageOp op)
    {
        var outcomes = SymbolicStep.Outcomes(protocol, SymbolicPage.Before(gh, dirty), op);
        return outcomes.Count == 1 ? outcomes[0].IsStep() : new OrFormula([.. outcomes.Select(o => o.IsStep())]);
    }

    public static Formula For(Protocol protocol)
    {
        var steps = Cases().Select(c => Formula.Implies(Is(c.GH, c.Dirty, c.Op), Case(protocol, c.GH, c.Dirty, c.Op)));
        var someOperation = new OrFormula(PageOp.All.Select(IsOperation).ToArray());
        return new AndFormula([.. steps, someOperation]);
    }

    /// <summary>The case (<paramref name="gh"/>, <paramref name="dirty"/>, <paramref name="op"/>) of the page before and the operation.</summary>
    public static Formula Is(GuestHostState gh, bool dirty, PageOp op) =>
        (Term.Of(Var.G, 0, Moment.Pre) == Term.Const((int)gh.G)) & (Term.Of(Var.H, 0, Moment.Pre) == Term.Const((int)gh.H))
        & (Term.Of(Var.Dirty, 0, Moment.Pre) == Term.Const(dirty ? 1 : 0)) & IsOperation(op);

    static Formula IsOperation(PageOp op) => (Term.Of(Var.Op) == Term.Const((int)op.Op)) & (Term.Of(Var.Cell) == Term.Const(op.Cell));
}
