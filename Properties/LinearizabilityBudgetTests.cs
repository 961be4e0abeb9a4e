using PageHintVerify.Model;
using PageHintVerify.TestKit;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>The linearizability check's budget: past it the answer is undecided, never a pass or a failure.</summary>
public class LinearizabilityBudgetTests
{
    static readonly PageState Page = PageState.Initial.With(new(GuestState.Stable, HostState.Resident)).WithMem(0, 1);

    /// <summary><paramref name="reads"/> reads of cell 0, all overlapping; the last one returns <paramref name="last"/>.</summary>
    static HistoryEvent[] ConcurrentReads(int reads, byte last)
    {
        var op = new PageOp(Operation.Read, 0);
        var probe = new HistoryEvent(0, 0, op, 0, (0, 0), 0, 0, default, (HistoryEvent.NotCopied, HistoryEvent.NotCopied));
        var right = Linearizability.Step(Page, probe).Result;
        return Enumerable.Range(0, reads).Select(i => probe with
        {
            Thread = i, Invoked = i, Returned = 100 + i, Result = i == reads - 1 ? right with { Value = last } : right,
        }).ToArray();
    }

    [Fact]
    public void TwentyConcurrentReadsThatDoNotLinearizeAreUndecidedWithinTheBudget() =>
        Assert.Equal(Linearization.Undecided, Linearizability.Check(Page, ConcurrentReads(22, last: 2), budget: 10_000));

    [Fact]
    public void WithinTheBudgetTheAnswerIsDecided()
    {
        Assert.Equal(Linearization.None, Linearizability.Check(Page, ConcurrentReads(4, last: 2), budget: 10_000));
        Assert.Equal(Linearization.Found, Linearizability.Check(Page, ConcurrentReads(22, last: 1), budget: 10_000));
    }
}
