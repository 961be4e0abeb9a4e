using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Z3;

/// <summary>
/// Shows that a reduction witness at the <c>naive</c> granularity is real: the shortest run of the checker (one page, any
/// guest on one vCPU, a host thread: small enough to search whole when the witness is not reachable there) in which an actor's load is outdated by another actor's store, ending with the stale
/// store: the interference a plain store allows and a compare-and-swap refuses.
/// </summary>
public sealed class InterferenceReachability(Protocol protocol)
{
    readonly Interleavings _system = new(
        new Configuration { Pages = 1, Program = ProgramKind.Any, HostThreads = 1, Granularity = Granularity.Naive }, protocol);

    /// <summary>Where the runs are explored, as the report says it.</summary>
    public string Setting => "one page, any guest on one vCPU, a host thread";

    /// <summary>
    /// The shortest trace to a stale store, that store last: the store of <paramref name="witness"/>'s operation from a load
    /// of its loaded word onto its current word, or (with null) any store from a load of a word that is no longer the page's.
    /// </summary>
    public IReadOnlyList<TraceStep>? StaleStore(ReductionWitness? witness)
    {
        var next = new List<Successor>();
        Successor? Store(in PackedState s)
        {
            var word = _system.Word(s, 0).Abstract;
            if (witness is not null && word != witness.Current) return null;
            next.Clear();
            _system.Successors(s, next);
            foreach (var t in next)
                if (t.Step.Phase == Phase.Store && Loaded(s, t.Step.Actor) is { } loaded && loaded != word
                    && (witness is null || (loaded == witness.Loaded.Abstract && t.Step.Op == witness.Op)))
                    return t;
            return null;
        }
        var path = ShortestPath.To(new PageSystem(_system), s => Store(s) is not null);
        if (path is null) return null;
        var store = Store(path.Count == 0 ? _system.Initial : path[^1].State)!.Value;
        return [.. path.Append(store).Select(t => new TraceStep(t.Step, [_system.Page(t.State, 0)]))];
    }

    /// <summary>The word an actor loaded and has not stored yet.</summary>
    PageWord? Loaded(in PackedState s, int actor)
    {
        int vcpus = _system.Configuration.VcpuCount;
        if (actor < vcpus)
        {
            var cpu = _system.VcpuOf(actor);
            return cpu.Phase.Get(s) == (int)Phase.Load ? new PageWord((uint)cpu.Observed.Get(s)) : null;
        }
        var host = _system.HostOf(actor - vcpus);
        return host.Phase.Get(s) == 1 ? new PageWord((uint)host.Observed.Get(s)) : null;
    }

    public string ActorName(int actor) => _system.ActorName(actor);
}
