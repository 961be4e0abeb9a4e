using Microsoft.Z3;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>A step that breaks an invariant: the page before, the operation, what it returned and the page after.</summary>
public sealed record Witness(PageState Before, PageOp Op, OpResult Result, PageState After)
{
    public override string ToString() => $"{Before} --{Op}: {Result.Describe(Op)}--> {After}";
}

/// <summary>What Z3 found for one invariant: proved (no witness) or a witness; and whether it holds in the initial state.</summary>
/// <param name="Dropped">A lemma this variant breaks, so no longer assumed for the invariants.</param>
public sealed record Verdict(Invariant Invariant, Witness? Witness, bool HoldsInitially, bool Dropped = false)
{
    public bool Proved => Witness is null && HoldsInitially;
}

/// <summary>
/// Proves by induction over one step that a variant keeps each invariant: from any page state satisfying every state
/// invariant and lemma and any operation the guest discipline allows, the step relation never leads to a violation.
/// Each check is an unsatisfiability check over the whole per-page domain; a satisfying model is a witness, which is
/// replayed on <see cref="PageMachine"/> before it is reported.
/// </summary>
public static class InductionProof
{
    static readonly int PreShift = StepFacts.Location(new FieldTerm(Var.G, 0, Moment.Pre)).Offset;

    /// <summary>
    /// Proves <paramref name="invariants"/> with the help of <paramref name="lemmas"/>. A lemma the variant breaks is not
    /// assumed any longer (as in Houdini): the proof is redone without it, so the invariant it was shielding is judged
    /// on its own and gets its real witness. Every verdict says whether its obligation was assumed in the final round.
    /// </summary>
    public static IReadOnlyList<Verdict> Run(Z3Session session, Protocol protocol, IReadOnlyList<Invariant> invariants, IReadOnlyList<Invariant> lemmas)
    {
        var assumed = lemmas.ToList();
        while (true)
        {
            var verdicts = Round(session, protocol, [.. invariants, .. assumed]);
            var broken = verdicts.Where(v => !v.Proved && assumed.Contains(v.Invariant)).Select(v => v.Invariant).ToList();
            if (broken.Count == 0)
                return [.. verdicts, .. lemmas.Except(assumed).Select(l => Round(session, protocol, [.. invariants, .. assumed, l]).Last() with { Dropped = true })];
            assumed.RemoveAll(broken.Contains);
        }
    }

    /// <param name="obligations">Invariants and lemmas; every state one among them is assumed before the step.</param>
    static List<Verdict> Round(Z3Session session, Protocol protocol, IReadOnlyList<Invariant> obligations) =>
        session.Run(context =>
        {
            var z3 = new Z3Encoding(context);
            var solver = context.MkSolver();
            solver.Assert(z3.Domain());
            foreach (var inv in obligations.Where(i => i.Kind == InvariantKind.State))
                solver.Assert(z3.Translate(Moments.AtPre(inv.Holds)));
            foreach (var d in GuestDiscipline.Preconditions)
                solver.Assert(z3.Translate(d.Holds));
            solver.Assert(z3.Translate(StepRelation.For(protocol)));
            // Contradictory assumptions would make every check unsatisfiable, proving everything: refuse that.
            if (solver.Check() != Status.SATISFIABLE)
                throw new InvalidOperationException("the invariants, lemmas, discipline and step relation contradict each other: a proof would be vacuous");

            var verdicts = new List<Verdict>();
            foreach (var inv in obligations)
            {
                solver.Push();
                solver.Assert(context.MkNot(z3.Translate(inv.Holds)));
                var status = solver.Check();
                Witness? witness = status switch
                {
                    Status.UNSATISFIABLE => null,
                    Status.SATISFIABLE => Replay(protocol, inv, z3.Read(solver.Model)),
                    _ => throw new InvalidOperationException($"Z3 could not decide {inv.Id}: {solver.ReasonUnknown}"),
                };
                solver.Pop();
                bool initially = inv.Kind == InvariantKind.Transition ||
                                 FormulaEvaluator.Holds(inv.Holds, StepFacts.OfState(PageState.Initial));
                verdicts.Add(new Verdict(inv, witness, initially));
            }
            return verdicts;
        });

    /// <summary>
    /// Runs the model's step on <see cref="PageMachine"/> and checks that it breaks the invariant there too: the first
    /// outcome that does (a nondeterministic protocol may offer several; Z3's model picked one of them).
    /// </summary>
    static Witness Replay(Protocol protocol, Invariant inv, StepFacts model)
    {
        var before = new PageState((uint)(model.Bits >> PreShift) & PageState.Mask);
        var op = new PageOp((Operation)model.Get(new FieldTerm(Var.Op, 0, Moment.Post)), (byte)model.Get(new FieldTerm(Var.Cell, 0, Moment.Post)));
        var outcomes = new List<(PageState Next, OpResult Result)>();
        PageMachine.Outcomes(protocol, before, op, outcomes);
        foreach (var (after, result) in outcomes)
        {
            var facts = inv.Kind == InvariantKind.State ? StepFacts.OfState(after) : StepFacts.Of(before, op, result, after);
            if (!FormulaEvaluator.Holds(inv.Holds, facts)) return new Witness(before, op, result, after);
        }
        throw new InvalidOperationException(
            $"Z3's witness for {inv.Id} does not break it on PageMachine ({before} --{op}-->): the symbolic step has drifted");
    }
}
