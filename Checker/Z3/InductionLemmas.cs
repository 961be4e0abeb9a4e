using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// Facts that strengthen I1–I5 into an inductive invariant. I1–I5 alone are not inductive: Z3 finds states they allow,
/// unreachable from the initial state, from which one step breaks them (an unused page that still expects content, which
/// set_stable turns into a stable page that loses it; a clean P page whose frame differs from what reads must return).
/// Each lemma holds initially and is proved preserved exactly like a state invariant, so assuming it is sound.
/// </summary>
public static class InductionLemmas
{
    static readonly Term G = Term.Of(Var.G), Bottom = Term.Const(PageState.Bottom);
    static Formula GuestIs(GuestState g) => G == Term.Const((int)g);

    /// <summary>SPEC's "want:=⊥" on entering U, kept while the page stays U: a later set_stable starts from "any value".</summary>
    public static readonly Invariant L1 = new("L1", InvariantKind.State, "an unused page expects no content",
        Formula.Implies(GuestIs(GuestState.Unused), Formula.ForAllCells(c => Term.Of(Var.Want, c) == Bottom)),
        GuestDiscipline: false);

    /// <summary>I1 for the resident volatile pages it leaves out: their frame is what reads return and what
    /// set_stable_if_present keeps.</summary>
    public static readonly Invariant L2 = new("L2", InvariantKind.State, "a resident volatile page holds its expected content",
        Formula.ForAllCells(c => Formula.Implies(
            (GuestIs(GuestState.Volatile) | GuestIs(GuestState.PotentiallyVolatile))
            & (Term.Of(Var.H) == Term.Const((int)HostState.Resident)) & (Term.Of(Var.Want, c) != Bottom),
            Term.Of(Var.Mem, c) == Term.Of(Var.Want, c))),
        GuestDiscipline: false);

    public static readonly IReadOnlyList<Invariant> All = [L1, L2];
}
