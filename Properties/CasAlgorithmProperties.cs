using FsCheck.Xunit;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.TestKit;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>The transition logic on its own: it commits what the model does, waits on pins and pins where cells need it.</summary>
public class CasAlgorithmProperties
{
    [Property(MaxTest = 1000, Arbitrary = [typeof(PageTableArbitraries)])]
    public void PlanCommitsTheModelsWord(PageState page)
    {
        foreach (var op in PageOp.All)
        {
            var plan = CasAlgorithm.Plan(Protocol.Reference, PageWord.Of(page), op);
            var (next, result) = PageMachine.Apply(Protocol.Reference, page, op);
            Assert.False(plan.Wait);
            Assert.Equal(PageWord.Of(next), plan.Desired.WithPin(false));
            Assert.Equal(result.Outcome, plan.Outcome);
            Assert.Equal(op.Op is Operation.Write or Operation.Reload && result.Outcome == Outcome.Ok, plan.StoresData);
        }
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(PageTableArbitraries)])]
    public void PinnedWordsWait(PageState page)
    {
        var pinned = PageWord.Of(page).WithPin(true);
        foreach (var op in PageOp.All)
        {
            var plan = CasAlgorithm.Plan(Protocol.Reference, pinned, op);
            Assert.True(plan.Wait, $"{op} on {pinned}");
            Assert.Equal(pinned, plan.Desired);
            Assert.False(plan.StoresData);
        }
    }

    [Theory]
    [InlineData("Sr", "write(0)", true)]
    [InlineData("Pr", "write(1)", true)]
    [InlineData("Vr", "write(0)", false)]
    [InlineData("Sz", "read(0)", true)]    // zero-fill
    [InlineData("Sp", "read(1)", true)]    // fault-in: the cell is read in the state the swap committed
    [InlineData("Sr", "read(0)", false)]   // an optimistic read
    [InlineData("Vz", "read(0)", false)]
    [InlineData("Sr", "writeback", true)]
    [InlineData("Sz", "writeback", true)]
    [InlineData("Vr", "writeback", false)]
    [InlineData("Uz", "writeback", false)]
    [InlineData("Uz", "reload", true)]
    [InlineData("Ur", "set_unused", false)]
    [InlineData("Sz", "set_stable", false)]
    [InlineData("Pr", "host reclaim", false)]
    public void PlanPinsWhereTheCellsNeedIt(string state, string operation, bool pinned)
    {
        Assert.True(PageOp.TryParse(operation, out var op));
        var plan = CasAlgorithm.Plan(Protocol.Reference, PageWord.Of(PageState.Initial.With(state)), op);
        Assert.Equal(pinned, plan.Desired.Pinned);
    }

    [Theory]
    [InlineData("Uz", "Ur", true)]
    [InlineData("Sz", "Sr", true)]
    [InlineData("Vz", "Vr", true)]
    [InlineData("Sp", "Sr", false)]
    [InlineData("Sr", "Sz", false)]
    public void OnlyLeavingZeroForResidentZeroFills(string from, string to, bool fills) =>
        Assert.Equal(fills, CasAlgorithm.ZeroFills(PageWord.Of(PageState.Initial.With(from)), PageWord.Of(PageState.Initial.With(to))));
}
