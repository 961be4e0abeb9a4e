using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// Tells whether a Z3 witness is real. Z3 picks any model, and a one-step proof assumes only the invariants and
/// lemmas, so a witness's pre-state may be unreachable. This asks the checker, with a guest that keeps the discipline
/// D1–D5 (the same formulas the proof assumes) on one page beside a host reclaim thread: can it reach the witness's
/// pre-state, and if not, what is the nearest page from which a disciplined step breaks the same invariant?
/// </summary>
public sealed class WitnessReachability(Protocol protocol)
{
    readonly PageReachability _pages = new(protocol, step => !step.Op.IsGuest || Disciplined(step.Before, step.Op, step.Result, step.After));

    static bool Disciplined(PageState before, PageOp op, OpResult result, PageState after)
    {
        var facts = StepFacts.Of(before, op, result, after);
        return GuestDiscipline.Preconditions.All(d => FormulaEvaluator.Holds(d.Holds, facts));
    }

    /// <summary>The shortest trace to exactly this page, or null when no disciplined run reaches it.</summary>
    public IReadOnlyList<TraceStep>? To(PageState page) => _pages.ShortestTraceTo(p => p == page);

    /// <summary>The nearest reachable page from which a disciplined step breaks <paramref name="invariant"/>, the trace to it and that step.</summary>
    public (IReadOnlyList<TraceStep> Trace, Witness Step)? NearestViolation(Invariant invariant)
    {
        Witness? step = null;
        var trace = _pages.ShortestTraceTo(p => (step = Breaking(invariant, p)) is not null);
        return trace is null ? null : (trace, step!);
    }

    Witness? Breaking(Invariant invariant, PageState before)
    {
        var outcomes = new List<(PageState Next, OpResult Result)>();
        foreach (var op in PageOp.All)
        {
            outcomes.Clear();
            PageMachine.Outcomes(protocol, before, op, outcomes);
            foreach (var (after, result) in outcomes)
            {
                if (result.Outcome == Outcome.NotEnabled || !Disciplined(before, op, result, after)) continue;
                var facts = invariant.Kind == InvariantKind.State ? StepFacts.OfState(after) : StepFacts.Of(before, op, result, after);
                if (!FormulaEvaluator.Holds(invariant.Holds, facts)) return new Witness(before, op, result, after);
            }
        }
        return null;
    }

    public string ActorName(int actor) => _pages.ActorName(actor);
}
