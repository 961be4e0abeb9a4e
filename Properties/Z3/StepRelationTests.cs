using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Z3;

/// <summary>The step relation Z3 reasons about (PageMachine run over terms) holds of PageMachine's concrete step, on every page state and operation.</summary>
public class StepRelationTests
{
    public static TheoryData<string> Protocols => new() { "reference", "graph1", "graph2", "sparse", "zero-fill", "nondeterministic" };

    static Protocol ByName(string name) => name switch
    {
        "sparse" => TestProtocols.Sparse,
        "zero-fill" => TestProtocols.ZeroFill,
        "nondeterministic" => TestProtocols.Nondeterministic,
        _ => Variants.Resolve(name),
    };

    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(Protocols))]
    public void EveryCaseGivesWhatPageMachineGives(string name)
    {
        var protocol = ByName(name);
        var cases = StepRelation.Cases().ToDictionary(c => c, c => StepRelation.Case(protocol, c.GH, c.Dirty, c.Op));
        var drift = new List<string>();
        var outcomes = new HashSet<Outcome>();
        var steps = new List<(PageState Next, OpResult Result)>();
        foreach (var pre in PageState.Domain())
            foreach (var op in PageOp.All)
            {
                steps.Clear();
                PageMachine.Outcomes(protocol, pre, op, steps);
                foreach (var (post, result) in steps)
                {
                    outcomes.Add(result.Outcome);
                    if (!FormulaEvaluator.Holds(cases[(pre.GH, pre.Dirty, op)], StepFacts.Of(pre, op, result, post)) && drift.Count < 5)
                        drift.Add($"{pre} --{op}--> {post} {result.Describe(op)}");
                }
            }
        Assert.Empty(drift);
        Assert.True(outcomes.Count >= 5, $"only outcomes {string.Join(", ", outcomes)} were exercised");
    }

    [Fact]
    public void ACaseRejectsADifferentPageAfter()
    {
        Assert.True(PageState.TryParse("Sr d=0 mem=12 disk=00 want=12", out var pre));
        var op = new PageOp(Operation.Write, 1);
        var (post, result) = PageMachine.Apply(Protocol.Reference, pre, op);
        var step = StepRelation.Case(Protocol.Reference, pre.GH, pre.Dirty, op);
        Assert.True(FormulaEvaluator.Holds(step, StepFacts.Of(pre, op, result, post)));
        Assert.False(FormulaEvaluator.Holds(step, StepFacts.Of(pre, op, result, post.WithMem(1, 2))));
    }
}
