namespace PageHintVerify.Model;

/// <summary>
/// Facts that strengthen I1–I5 into an inductive invariant. I1–I5 alone are not inductive: Z3 finds states they allow,
/// unreachable from the initial state, from which one step breaks them (a clean P page whose frame differs from what
/// reads must return: a write makes it dirty and I1 then fails; a read returns the frame and I2 fails). Each lemma holds
/// initially and is proved preserved exactly like a state invariant, so assuming it is sound.
/// An "unused page expects no content" lemma is not needed: every move into or out of U sets want:=⊥ (SPEC §3), so no
/// step carries a U page's expectations anywhere.
/// </summary>
public static class InductionLemmas
{
    static readonly Term G = Term.Of(Var.G), Bottom = Term.Const(PageState.Bottom);
    static Formula GuestIs(GuestState g) => G == Term.Const((int)g);

    /// <summary>
    /// I1 for the resident pages it leaves out, volatile and clean potentially-volatile ones: their frame is what reads
    /// return and what set_stable_if_present keeps. Stated for V pages alone it is not inductive on the reference
    /// (set_volatile(w=0) turns a clean P page into a V page with the same frame).
    /// </summary>
    public static readonly Invariant L1 = new("L1", InvariantKind.State, "a resident volatile or potentially-volatile page holds its expected content",
        Formula.ForAllCells(c => Formula.Implies(
            (GuestIs(GuestState.Volatile) | GuestIs(GuestState.PotentiallyVolatile))
            & (Term.Of(Var.H) == Term.Const((int)HostState.Resident)) & (Term.Of(Var.Want, c) != Bottom),
            Term.Of(Var.Mem, c) == Term.Of(Var.Want, c))),
        GuestDiscipline: false);

    public static readonly IReadOnlyList<Invariant> All = [L1];
}
