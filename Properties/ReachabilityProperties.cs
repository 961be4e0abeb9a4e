using NonNegativeInt = FsCheck.NonNegativeInt;
using FsCheck.Xunit;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>
/// Random operation sequences from <see cref="PageState.Initial"/> under the reference protocol (SPEC §6's start state):
/// what every reachable page looks like, and that a guest keeping SPEC §3's discipline never breaks I1–I5.
/// </summary>
public class ReachabilityProperties
{

    /// <summary>Runs one operation per choice, picked from <paramref name="allowed"/>, and hands each step to <paramref name="check"/>.</summary>
    static void Walk(byte[]? choices, Func<PageState, PageOp?, IReadOnlyList<PageOp>> allowed,
        Action<PageState, PageOp, OpResult, PageState> check)
    {
        var page = PageState.Initial;
        PageOp? last = null;
        OpResult lastResult = default;
        foreach (var choice in choices ?? [])
        {
            var options = allowed(page, last is { } l && lastResult.Outcome is Outcome.DiscardFault or Outcome.Failed ? l : null);
            var op = options[choice % options.Count];
            var (next, result) = PageMachine.Apply(Protocol.Reference, page, op);
            check(page, op, result, next);
            (page, last, lastResult) = (next, op, result);
        }
    }

    static IReadOnlyList<PageOp> Anything(PageState page, PageOp? refused) => PageOp.All;

    [Property(MaxTest = 300)]
    public void AnyOperationSequenceFromInitialKeepsThePageWellFormed(byte[] choices) =>
        Walk(choices, Anything, (pre, op, result, post) =>
            Assert.True(post.IsWellFormed, $"{pre} {op} → {post}"));

    [Property(MaxTest = 300)]
    public void UnusedPagesReachedFromInitialHaveWantBottom(byte[] choices) =>
        Walk(choices, Anything, (pre, op, result, post) =>
        {
            if (post.G == GuestState.Unused)
                Assert.True(post.Want(0) == PageState.Bottom && post.Want(1) == PageState.Bottom, $"{pre} {op} → {post}");
        });

    /// <summary>
    /// What a correct guest kernel may do next (SPEC §3, guest discipline): after a discard fault or a failed
    /// set_stable_if_present it reloads; it never touches U pages; it writes only S and P pages; it makes V and P pages
    /// stable only with set_stable_if_present; it sets a page volatile only when what it holds equals its disk copy.
    /// The host may reclaim at any point.
    /// </summary>
    static IReadOnlyList<PageOp> Disciplined(PageState page, PageOp? refused)
    {
        if (refused is not null) return [new(Operation.Reload)];
        var ops = new List<PageOp> { new(Operation.HostReclaim), new(Operation.SetUnused) };
        bool cleanAgainstDisk = Enumerable.Range(0, PageState.Cells)
            .All(c => page.Want(c) == PageState.Bottom || page.Want(c) == page.Disk(c));
        switch (page.G)
        {
            case GuestState.Unused:
                ops.Add(new(Operation.SetStable));
                break;
            case GuestState.Volatile:
                ops.AddRange([new(Operation.Read, 0), new(Operation.Read, 1), new(Operation.SetStableIfPresent),
                    new(Operation.SetVolatile), new(Operation.SetVolatileWritable)]);
                break;
            default: // S and P
                ops.AddRange([new(Operation.Read, 0), new(Operation.Read, 1), new(Operation.Write, 0), new(Operation.Write, 1),
                    new(Operation.Writeback)]);
                ops.Add(page.G == GuestState.Stable ? new(Operation.SetStable) : new(Operation.SetStableIfPresent));
                if (cleanAgainstDisk) ops.AddRange([new(Operation.SetVolatile), new(Operation.SetVolatileWritable)]);
                break;
        }
        return ops;
    }

    [Property(MaxTest = 500)]
    public void ADisciplinedGuestAndAnyHostNeverBreakAnInvariant(byte[] choices) =>
        Walk(choices, Disciplined, (pre, op, result, post) =>
        {
            var facts = StepFacts.Of(pre, op, result, post);
            int state = InvariantTable.StateInvariants.Violations(facts), step = InvariantTable.TransitionInvariants.Violations(facts);
            Assert.True(state == 0 && step == 0, $"{pre} {op} ({result.Describe(op)}) → {post}: state mask {state}, step mask {step}");
        });

    static readonly PageState[] StablePages = PageState.Domain().Where(p => p.IsWellFormed && p.G == GuestState.Stable).ToArray();

    [Property]
    public void AReadAfterAWriteToAStablePageReturnsWhatWasWritten(NonNegativeInt pick, bool cell)
    {
        var page = StablePages[pick.Get % StablePages.Length];
        byte c = cell ? (byte)1 : (byte)0;
        var (written, w) = PageMachine.Apply(Protocol.Reference, page, new PageOp(Operation.Write, c));
        var (_, r) = PageMachine.Apply(Protocol.Reference, written, new PageOp(Operation.Read, c));
        Assert.Equal((Outcome.Ok, Outcome.Ok), (w.Outcome, r.Outcome));
        Assert.Equal(written.Want(c), r.Value);
        Assert.Equal(page.Want(c) == 1 ? 2 : 1, r.Value);
    }
}
