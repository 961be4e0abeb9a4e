using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Z3;

public class InductionProofTests
{
    static readonly IReadOnlyList<Invariant> Everything = [.. Invariants.All, .. InductionLemmas.All];

    [Fact]
    public void TheReferenceKeepsEveryInvariantAndLemma()
    {
        var verdicts = InductionProof.Run(SharedZ3.Session, Protocol.Reference, Invariants.All, InductionLemmas.All);
        Assert.Equal(Everything.Select(i => i.Id), verdicts.Select(v => v.Invariant.Id));
        Assert.All(verdicts, v => Assert.True(v.Proved, $"{v.Invariant.Id}: {v.Witness}"));
    }

    [Fact]
    public void WithoutTheLemmasI1ToI5AreNotInductiveAndEachWitnessBreaksALemma()
    {
        var verdicts = InductionProof.Run(SharedZ3.Session, Protocol.Reference, Invariants.All, []);
        var broken = verdicts.Where(v => !v.Proved).ToList();
        Assert.Contains(broken, v => v.Invariant.Id == "I1");
        Assert.All(broken, v => Assert.Contains(InductionLemmas.All,
            l => !FormulaEvaluator.Holds(l.Holds, StepFacts.OfState(v.Witness!.Before))));
    }

    [Fact]
    public void TheLemmaMustCoverResidentPotentiallyVolatilePages()
    {
        // Stated for V pages alone, the lemma is not inductive on the reference: a clean P page with another frame
        // becomes such a V page by set_volatile(w=0), or breaks I1 or I2 by a write or read.
        var vOnly = new Invariant("L1V", InvariantKind.State, "a resident volatile page holds its expected content",
            Formula.ForAllCells(c => Formula.Implies(
                (Term.Of(Var.G) == Term.Const((int)GuestState.Volatile)) & (Term.Of(Var.H) == Term.Const((int)HostState.Resident))
                & (Term.Of(Var.Want, c) != Term.Const(PageState.Bottom)),
                Term.Of(Var.Mem, c) == Term.Of(Var.Want, c))), GuestDiscipline: false);
        var verdicts = InductionProof.Run(SharedZ3.Session, Protocol.Reference, Invariants.All, [vOnly]);
        var broken = verdicts.Where(v => !v.Proved).ToList();
        Assert.NotEmpty(broken);
        Assert.All(broken, v => Assert.Equal(GuestState.PotentiallyVolatile, v.Witness!.Before.G));
    }

    [Fact]
    public void EveryTargetOfANondeterministicPairIsAStepOfTheRelation()
    {
        // Sr may be swapped out (the reference) or dropped (the extra edge, drawn after it): the drop loses data, so I1
        // is not inductive, whatever the order the edges were drawn in.
        var verdicts = InductionProof.Run(SharedZ3.Session, TestProtocols.Nondeterministic, Invariants.All, InductionLemmas.All);
        var i1 = verdicts.Single(v => v.Invariant.Id == "I1");
        var w = Assert.IsType<Witness>(i1.Witness);
        Assert.Equal((Operation.HostReclaim, "Sr", "Sz"), (w.Op.Op, w.Before.GH.ToString(), w.After.GH.ToString()));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ZeroFillingADiscardedVolatilePageIsASilentRead()
    {
        var verdicts = InductionProof.Run(SharedZ3.Session, TestProtocols.ZeroFill, Invariants.All, InductionLemmas.All);
        // The zero-fill edge breaks L1 (a resident volatile page holds its expected content) straight out of Vz,
        // so L1 is dropped and I2 is judged without it.
        var l1 = verdicts.Single(v => v.Invariant.Id == "L1");
        Assert.True(l1.Dropped);
        Assert.Equal("Vz", Assert.IsType<Witness>(l1.Witness).Before.GH.ToString());
        var i2 = verdicts.Single(v => v.Invariant.Id == "I2");
        var w = Assert.IsType<Witness>(i2.Witness);
        Assert.Equal(Operation.Read, w.Op.Op);
        Assert.Contains(w.Before.G, new[] { GuestState.Volatile, GuestState.PotentiallyVolatile });
        Assert.Equal(Outcome.Ok, w.Result.Outcome);
        Assert.NotEqual(w.Before.Want(w.Op.Cell), w.Result.Value);
        Assert.NotEqual(PageState.Bottom, w.Before.Want(w.Op.Cell));
        // The witness is a state the final proof assumes: it satisfies every state invariant and every kept lemma.
        Assert.All(Invariants.All.Where(i => i.Kind == InvariantKind.State),
            i => Assert.True(FormulaEvaluator.Holds(i.Holds, StepFacts.OfState(w.Before)), i.Id));
    }

    [Fact]
    public void Graph2BreaksL1WithItsGuestWriteOutOfVzAndI2GetsAWitness()
    {
        var verdicts = InductionProof.Run(SharedZ3.Session, Variants.Resolve("graph2"), Invariants.All, InductionLemmas.All);
        var l1 = verdicts.Single(v => v.Invariant.Id == "L1");
        Assert.True(l1.Dropped);
        Assert.Equal(Operation.Write, l1.Witness!.Op.Op);
        Assert.Equal("Vz", l1.Witness.Before.GH.ToString());
        var i2 = verdicts.Single(v => v.Invariant.Id == "I2").Witness!;
        Assert.Equal(Operation.Read, i2.Op.Op);
        Assert.NotEqual(i2.Before.Want(i2.Op.Cell), i2.Result.Value);
    }
}
