using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Z3;

/// <summary>Z3's reading of each invariant equals the checker's evaluator on every page state and every reference transition.</summary>
public class EncodingAgreementTests
{
    [Trait("Category", "Slow")]
    [Fact]
    public void StateInvariantsAgreeWithTheTableOnEveryPageState()
    {
        var table = InvariantTable.StateInvariants;
        var states = PageState.Domain().ToList();
        Assert.Equal(4 * 3 * 2 * 9 * 9 * 16, states.Count);
        Assert.Empty(Disagreements(table, states.Select(StepFacts.OfState)));
    }

    [Fact]
    public void TransitionInvariantsAgreeWithTheTableOnEveryReferenceTransition()
    {
        var table = InvariantTable.TransitionInvariants;
        // A verdict depends only on the fields the invariants read, so each distinct projection is asked once.
        ulong read = table.Invariants.SelectMany(i => FormulaEvaluator.Fields(i.Holds)).Select(StepFacts.Location)
            .Aggregate(0UL, (mask, l) => mask | ((1UL << l.Width) - 1) << l.Offset);
        var distinct = new Dictionary<ulong, StepFacts>();
        int transitions = 0;
        foreach (var pre in PageState.Domain().Where(p => p.IsWellFormed))
            foreach (var op in PageOp.All)
            {
                var (post, result) = PageMachine.Apply(Protocol.Reference, pre, op);
                var facts = StepFacts.Of(pre, op, result, post);
                distinct.TryAdd(facts.Bits & read, facts);
                transitions++;
            }
        Assert.Equal(12_096 * 12, transitions); // 84 valid canonical (g,h,dirty,mem) × 9 disk × 16 want
        Assert.Empty(Disagreements(table, distinct.Values));
        // Both verdicts occur, so the comparison can fail either way.
        Assert.Contains(distinct.Values, f => table.Violations(f) != 0);
        Assert.Contains(distinct.Values, f => table.Violations(f) == 0);
    }

    /// <summary>Each (invariant, facts) where Z3's verdict differs from the table's, for the first few.</summary>
    static List<string> Disagreements(InvariantTable table, IEnumerable<StepFacts> all) => SharedZ3.Session.Run(context =>
    {
        var z3 = new Z3Encoding(context);
        var formulas = table.Invariants.Select(i => z3.Translate(i.Holds)).ToArray();
        var found = new List<string>();
        foreach (var facts in all)
        {
            int mask = table.Violations(facts);
            for (int i = 0; i < formulas.Length; i++)
                if (z3.Holds(formulas[i], facts) != ((mask >> i & 1) == 0) && found.Count < 10)
                    found.Add($"{table.Invariants[i].Id} on facts {facts.Bits:x}");
        }
        return found;
    });
}
