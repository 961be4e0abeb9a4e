using PageHintVerify.Model;
using Xunit;
using static PageHintVerify.Properties.TableText;

namespace PageHintVerify.Properties;

/// <summary>
/// SPEC section 4: the compiled invariant tables agree with the formulas everywhere the checker can ask them, hand-written
/// pages and steps violate exactly the invariants SPEC's formulas say, and the reference keeps every page well-formed.
/// </summary>
public class InvariantTests
{
    static readonly PageState[] WellFormed = PageState.Domain().Where(p => p.IsWellFormed).ToArray();

    static IEnumerable<(PageState Pre, PageOp Op, OpResult Result, PageState Post)> ReferenceSteps()
    {
        foreach (var pre in WellFormed)
            foreach (var op in PageOp.All)
            {
                var (post, result) = PageMachine.Apply(Protocol.Reference, pre, op);
                yield return (pre, op, result, post);
            }
    }

    static int EvaluatorMask(InvariantTable table, StepFacts facts)
    {
        int mask = 0;
        for (int i = 0; i < table.Invariants.Count; i++)
            if (!FormulaEvaluator.Holds(table.Invariants[i].Holds, facts)) mask |= 1 << i;
        return mask;
    }

    static readonly InvariantTable[] AllTables = [InvariantTable.StateInvariants, InvariantTable.TransitionInvariants];

    /// <summary>The ids of the invariants the given compiled tables say the step violates (the evaluator must agree).</summary>
    static string Violated(StepFacts facts, params InvariantTable[] tables)
    {
        var ids = new List<string>();
        foreach (var table in tables)
        {
            int mask = table.Violations(facts);
            Assert.Equal(EvaluatorMask(table, facts), mask);
            ids.AddRange(table.Invariants.Where((_, i) => (mask & (1 << i)) != 0).Select(inv => inv.Id));
        }
        return string.Join(" ", ids.Order());
    }

    /// <summary>The shape every reachable page has: a U page promises nothing (want ⊥⊥).</summary>
    static bool UnusedForgetsWant(PageState p) =>
        p.G != GuestState.Unused || (p.Want(0) == PageState.Bottom && p.Want(1) == PageState.Bottom);

    // ── (a) the compiled tables against the formula evaluator ────────────────────────────────────────────────────────

    [Fact]
    public void StateTableAgreesWithTheFormulasOnEveryPage()
    {
        var table = InvariantTable.StateInvariants;
        Assert.Equal(["I1", "I3", "I4"], table.Invariants.Select(i => i.Id));
        foreach (var p in PageState.Domain())
        {
            var facts = StepFacts.OfState(p);
            Assert.True(EvaluatorMask(table, facts) == table.Violations(facts), p.ToString());
        }
    }

    [Fact]
    public void TransitionTableAgreesWithTheFormulasOnEveryReferenceStep()
    {
        var table = InvariantTable.TransitionInvariants;
        Assert.Equal(["I2", "I5"], table.Invariants.Select(i => i.Id));
        int steps = 0;
        foreach (var (pre, op, result, post) in ReferenceSteps())
        {
            var facts = StepFacts.Of(pre, op, result, post);
            Assert.True(EvaluatorMask(table, facts) == table.Violations(facts), $"{pre} {op} {result.Describe(op)}");
            steps++;
        }
        Assert.Equal(12096 * 12, steps);
    }

    // ── (b) hand-written examples, from SPEC §4's formulas ───────────────────────────────────────────────────────────

    [Theory]
    // I1: (g=S ∨ (g=P ∧ dirty=1)) ∧ want[c]≠⊥ ⇒ content[c]=want[c], content = mem on r/p, else 0
    [InlineData("Sr d=1 mem=00 disk=00 want=1⊥", "I1")]      // a stable page lost the 1 it must return
    [InlineData("Sr d=1 mem=10 disk=00 want=1⊥", "")]
    [InlineData("Sp d=0 mem=12 disk=00 want=12", "")]        // the slot holds it
    [InlineData("Sz d=0 mem=00 disk=11 want=⊥1", "I1")]      // zero page, want 1
    [InlineData("Sz d=0 mem=00 disk=11 want=0⊥", "")]        // zero page, want 0
    [InlineData("Pr d=1 mem=00 disk=00 want=⊥2", "I1")]      // dirty P is as good as stable
    [InlineData("Ur d=1 mem=00 disk=00 want=12", "")]        // U pages promise nothing
    // I3: valid (g,h) and canonical
    [InlineData("Vp d=0 mem=00 disk=00 want=⊥⊥", "I3")]
    [InlineData("Up d=0 mem=00 disk=00 want=⊥⊥", "I3")]
    [InlineData("Pp d=0 mem=00 disk=00 want=⊥⊥", "I3")]
    [InlineData("Pz d=0 mem=00 disk=00 want=⊥⊥", "I3")]
    [InlineData("Sp d=1 mem=00 disk=00 want=⊥⊥", "I3")]      // p never carries the change bit
    [InlineData("Vz d=1 mem=00 disk=00 want=⊥⊥", "I3")]      // z neither
    [InlineData("Sz d=0 mem=10 disk=00 want=⊥⊥", "I3")]      // z holds no value
    [InlineData("Sz d=0 mem=10 disk=00 want=1⊥", "I1 I3")]   // and its content counts as 0 for I1
    [InlineData("Sr d=1 mem=22 disk=00 want=⊥⊥", "")]
    // I4: (g=V ∨ (g=P ∧ dirty=0)) ∧ want[c]≠⊥ ⇒ disk[c]=want[c]
    [InlineData("Vr d=0 mem=12 disk=10 want=12", "I4")]      // disk cannot recreate cell 1
    [InlineData("Vr d=0 mem=00 disk=12 want=12", "")]        // mem does not matter for V
    [InlineData("Vz d=0 mem=00 disk=12 want=12", "")]
    [InlineData("Vz d=0 mem=00 disk=12 want=⊥2", "")]
    [InlineData("Vz d=0 mem=00 disk=12 want=2⊥", "I4")]
    [InlineData("Pr d=0 mem=00 disk=00 want=⊥2", "I4")]      // clean P: I4, not I1
    [InlineData("Pr d=0 mem=00 disk=02 want=⊥2", "")]
    [InlineData("Vp d=0 mem=12 disk=00 want=12", "I3 I4")]
    public void StateInvariantsOnHandWrittenPages(string page, string violated) =>
        Assert.Equal(violated, Violated(StepFacts.OfState(Page(page)), InvariantTable.StateInvariants));

    [Theory]
    // I2: a read of c returning a value returns pre want[c], or pre want[c] = ⊥. Post want differs on purpose: I2 uses pre.
    [InlineData("Sr d=1 mem=00 disk=00 want=1⊥", "read(0)", Outcome.Ok, 0, "Sr d=1 mem=00 disk=00 want=0⊥", "I2")]
    [InlineData("Sr d=1 mem=10 disk=00 want=1⊥", "read(0)", Outcome.Ok, 1, "Sr d=1 mem=10 disk=00 want=0⊥", "")]
    [InlineData("Sr d=1 mem=00 disk=00 want=⊥⊥", "read(0)", Outcome.Ok, 0, "Sr d=1 mem=00 disk=00 want=1⊥", "")]
    [InlineData("Sr d=1 mem=02 disk=00 want=1⊥", "read(1)", Outcome.Ok, 2, "Sr d=1 mem=02 disk=00 want=1⊥", "")]
    [InlineData("Sr d=1 mem=12 disk=00 want=11", "read(1)", Outcome.Ok, 2, "Sr d=1 mem=12 disk=00 want=11", "I2")]
    [InlineData("Vz d=0 mem=00 disk=11 want=11", "read(0)", Outcome.DiscardFault, 0, "Vz d=0 mem=00 disk=11 want=11", "")]
    [InlineData("Sr d=1 mem=00 disk=00 want=1⊥", "write(0)", Outcome.Ok, 0, "Sr d=1 mem=20 disk=00 want=2⊥", "")]
    // I5: no guest read, write or writeback ends in UnusedAccess
    [InlineData("Ur d=0 mem=00 disk=00 want=⊥⊥", "read(0)", Outcome.UnusedAccess, 0, "Ur d=0 mem=00 disk=00 want=⊥⊥", "I5")]
    [InlineData("Uz d=0 mem=00 disk=00 want=⊥⊥", "write(1)", Outcome.UnusedAccess, 0, "Uz d=0 mem=00 disk=00 want=⊥⊥", "I5")]
    [InlineData("Uz d=0 mem=00 disk=00 want=⊥⊥", "writeback", Outcome.UnusedAccess, 0, "Uz d=0 mem=00 disk=00 want=⊥⊥", "I5")]
    [InlineData("Uz d=0 mem=00 disk=00 want=⊥⊥", "set_stable_if_present", Outcome.Failed, 0, "Uz d=0 mem=00 disk=00 want=⊥⊥", "")]
    [InlineData("Uz d=0 mem=00 disk=00 want=⊥⊥", "host reclaim", Outcome.NotEnabled, 0, "Uz d=0 mem=00 disk=00 want=⊥⊥", "")]
    [InlineData("Vr d=0 mem=00 disk=00 want=⊥⊥", "write(0)", Outcome.ProtectionFault, 0, "Vr d=0 mem=00 disk=00 want=⊥⊥", "")]
    public void TransitionInvariantsOnHandWrittenSteps(string pre, string op, Outcome outcome, byte value, string post, string violated)
    {
        var pageOp = Op(op);
        var facts = StepFacts.Of(Page(pre), pageOp, new OpResult(Page(pre).GH, outcome, value), Page(post));
        Assert.Equal(violated, Violated(facts, InvariantTable.TransitionInvariants));
    }

    [Theory]
    [InlineData("Ur d=0 mem=00 disk=00 want=⊥⊥", "read(1)", "I5")]          // the guest touched an unused page
    [InlineData("Vz d=0 mem=00 disk=12 want=12", "set_stable", "I1")]       // content lost: the guest should have used _if_present
    [InlineData("Vz d=0 mem=00 disk=12 want=12", "set_stable_if_present", "")]
    [InlineData("Sr d=1 mem=12 disk=00 want=12", "set_volatile(w=0)", "I4")] // made volatile before writeback
    [InlineData("Sr d=0 mem=12 disk=12 want=12", "set_volatile(w=0)", "")]
    [InlineData("Pr d=1 mem=12 disk=00 want=12", "host reclaim", "")]       // dirty P is preserved, not discarded
    public void ReferenceStepsViolateWhatSPECSays(string pre, string op, string violated)
    {
        var pageOp = Op(op);
        var (post, result) = PageMachine.Apply(Protocol.Reference, Page(pre), pageOp);
        Assert.Equal(violated, Violated(StepFacts.Of(Page(pre), pageOp, result, post), AllTables));
    }

    // ── (c) the reference preserves well-formedness (I3) ─────────────────────────────────────────────────────────────

    [Fact]
    public void EveryReferenceStepFromAWellFormedPageEndsWellFormed()
    {
        foreach (var (pre, op, result, post) in ReferenceSteps())
            Assert.True(post.IsWellFormed, $"{pre} {op} → {post}");
    }

    [Fact]
    public void EveryReferenceStepReturnsTheOldStateAndNoGap()
    {
        foreach (var (pre, op, result, _) in ReferenceSteps())
        {
            Assert.True(pre.GH == result.Old, $"{pre} {op} returned old {result.Old}");
            Assert.False(result.Gap, $"{pre} {op}");
        }
    }

    [Fact]
    public void EveryFaultFailureOrDisabledHostActionLeavesThePageUnchanged()
    {
        int refusals = 0;
        foreach (var (pre, op, result, post) in ReferenceSteps())
        {
            // A U page with a want is unreachable (entering U sets want:=⊥), and there the model clears want even on a
            // failed set_stable_if_present; see UnusedPagesForgetWant for why that cannot be observed from Initial.
            if (result.Outcome == Outcome.Ok || !UnusedForgetsWant(pre)) continue;
            refusals++;
            Assert.True(pre == post, $"{pre} {op} {result.Outcome} → {post}");
        }
        Assert.True(refusals > 0);
    }
}
