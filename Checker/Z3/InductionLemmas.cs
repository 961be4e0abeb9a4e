using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// Facts that strengthen I1–I5 into an inductive invariant (I1–I5 alone are not: Z3 finds unreachable states they allow
/// from which one step breaks them). Each lemma is proved exactly like a state invariant, so assuming it is sound.
/// </summary>
public static class InductionLemmas
{
    public static readonly IReadOnlyList<Invariant> All = [];
}
