using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>
/// The decision a lock-free page table takes from a loaded word: what to commit, whether to pin it for work on the
/// cells, what the operation returns. <see cref="CasAlgorithm"/> is the table's; the model checker's <c>cas</c>
/// granularity explores the table's steps with any implementation (a deliberately broken one shows what it finds).
/// </summary>
public interface IPageAlgorithm
{
    /// <summary>
    /// Every decision for <paramref name="op"/> on the loaded word, appended to <paramref name="into"/>: one per outcome
    /// of <see cref="PageMachine.Outcomes"/> on the word (a write's <see cref="PageMachine.Begin(Protocol, PageState, PageOp)"/>,
    /// any other operation's <see cref="PageMachine.Apply(Protocol, PageState, PageOp)"/>), in that order; a single
    /// waiting decision when the word is pinned.
    /// </summary>
    void Decisions(Protocol protocol, PageWord loaded, PageOp op, List<CasDecision> into);
}
