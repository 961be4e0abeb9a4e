using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// Which page states the checker can reach, and how: a breadth-first search of one page under the most general guest
/// (any operation at any time) and one host reclaim thread, at atomic granularity. It answers questions about a single
/// page, such as whether a Z3 witness's pre-state is real, so it keeps parents and stops at the first hit; the state
/// space is a few thousand states. Its steps are the checker's own (<see cref="Interleavings.Successors"/>), less those
/// <paramref name="allowed"/> refuses (for example guest steps outside the guest discipline).
/// </summary>
public sealed class PageReachability(Protocol protocol, Func<Step, bool>? allowed = null)
{
    readonly Interleavings _system = new(
        new Configuration { Pages = 1, Program = ProgramKind.Any, HostThreads = 1, Granularity = Granularity.Atomic }, protocol);

    /// <summary>The shortest trace from the initial state to a page satisfying <paramref name="goal"/>, or null if none is reachable.</summary>
    public IReadOnlyList<TraceStep>? ShortestTraceTo(Func<PageState, bool> goal) =>
        ShortestPath.To(new PageSystem(_system), s => goal(_system.Page(s, 0)), allowed)?
            .Select(t => new TraceStep(t.Step, [_system.Page(t.State, 0)])).ToList();

    public string ActorName(int actor) => _system.ActorName(actor);
}
