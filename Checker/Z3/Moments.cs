using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>Moves a state formula (written over the page after a step) to the page before it, so a proof can assume it there.</summary>
public static class Moments
{
    public static Formula AtPre(Formula f) => f switch
    {
        EqualsFormula e => new EqualsFormula(AtPre(e.Left), AtPre(e.Right)),
        NotFormula n => new NotFormula(AtPre(n.Inner)),
        AndFormula a => new AndFormula(a.Parts.Select(AtPre).ToArray()),
        OrFormula o => new OrFormula(o.Parts.Select(AtPre).ToArray()),
        ImpliesFormula i => new ImpliesFormula(AtPre(i.If), AtPre(i.Then)),
        _ => throw new ArgumentOutOfRangeException(nameof(f), f, "unknown formula node"),
    };

    static Term AtPre(Term t) => t switch
    {
        FieldTerm { Var: <= Var.Want } f => Term.Of(f.Var, f.Cell, Moment.Pre),
        FieldTerm f => throw new ArgumentException($"a state formula cannot read {f}", nameof(t)),
        IfTerm i => Term.If(AtPre(i.Condition), AtPre(i.Then), AtPre(i.Otherwise)),
        _ => t,
    };
}
