using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>A minimized trace and the scripted configuration that runs it.</summary>
public sealed record MinimizedTrace(Configuration Configuration, IReadOnlyList<TraceStep> Trace);

/// <summary>
/// Shrinks a breadth-first counterexample below its shortest length by changing the guest program (SPEC section 7).
/// <para>
/// The trace is first turned into a scripted configuration: each vCPU runs exactly the operations it took, in order, and
/// the host threads that took part are kept. Then whole operations (all phases of one actor's operation) and whole actors
/// are removed one at a time, first to last, as long as the result still holds: the remaining steps replay on the
/// scripted configuration built from them, and the invariant still fails (the trace is cut just after its first
/// failure). The loop repeats until nothing more can go, so every operation left is needed.
/// </para>
/// <para>
/// Sound because the result is itself checked, not inferred: every kept trace is an execution that replay found in
/// <see cref="Interleavings"/> for the configuration stored with it. So that shrinking cannot turn a race into a plain
/// guest mistake (a script that skips its writeback violates I4 with no race at all), a candidate must also keep
/// the blame where the finding put it: its script must violate no invariant at all in the correct system — the
/// reference protocol at atomic granularity, with the same host threads; for a finding made in that system itself,
/// the guest alone, with no host thread. This guard is a complete search of the candidate's small scripted space.
/// </para>
/// </summary>
public sealed class Minimizer
{
    readonly Configuration _found;
    readonly Protocol _protocol;
    readonly Invariant _invariant;
    readonly bool _guard;

    Minimizer(Configuration found, Protocol protocol, Invariant invariant, IReadOnlyList<RecordedStep> shortest)
    {
        (_found, _protocol, _invariant) = (found, protocol, invariant);
        _guard = true;
        // A finding whose own script already fails the guard cannot be held to it.
        _guard = Accept(shortest) is not null;
    }

    public static MinimizedTrace Minimize(Configuration found, Protocol protocol, Violation violation)
    {
        var steps = violation.Trace.Select(RecordedStep.Of).ToList();
        var m = new Minimizer(found, protocol, violation.Invariant, steps);
        var best = m.Accept(steps) ?? throw new InvalidOperationException($"the {violation.Invariant.Id} trace does not replay as a script");
        for (bool changed = true; changed;)
        {
            changed = false;
            var current = best.Trace.Select(RecordedStep.Of).ToList();
            foreach (var removal in ActorGroups(current).Concat(OperationGroups(current)))
            {
                var candidate = current.Where((_, i) => !removal.Contains(i)).ToList();
                if (candidate.Count == 0 || m.Accept(candidate) is not { } smaller) continue;
                best = smaller;
                changed = true;
                break;
            }
        }
        return best;
    }

    /// <summary>The scripted configuration, renumbered replay and cut trace of a candidate, or null if it does not hold.</summary>
    MinimizedTrace? Accept(IReadOnlyList<RecordedStep> candidate)
    {
        var (config, steps) = Script(candidate);
        if (config is null) return null;
        var replay = Replay.Run(new Interleavings(config, _protocol), steps, compare: false);
        if (!replay.Complete) return null;
        int at = replay.FirstViolation(_invariant);
        if (at < 0) return null;
        if (at + 1 < steps.Count)
        {
            // The invariant fails earlier: keep the trace up to there, with the scripts of the shorter trace.
            (config, steps) = Script(candidate.Take(at + 1).ToList());
            replay = Replay.Run(new Interleavings(config!, _protocol), steps, compare: false);
        }
        if (_guard && ViolatedInCorrectSystem(config!)) return null;
        return new MinimizedTrace(config!, replay.Trace);
    }

    bool ViolatedInCorrectSystem(Configuration script)
    {
        bool findingIsInCorrectSystem = _found.Granularity == Granularity.Atomic && _found.Variant == Variants.Reference;
        var correct = script with
        {
            Variant = Variants.Reference,
            Granularity = Granularity.Atomic,
            HostThreads = findingIsInCorrectSystem ? 0 : script.HostThreads,
        };
        var result = new BreadthFirstSearch(new Interleavings(correct, Protocol.Reference), new SearchOptions { All = true, Threads = 1 }).Run();
        // Any violation, not only this invariant's: a minimized guest that skips its writeback breaks I4 before the race.
        return result.Violations.Count > 0;
    }

    /// <summary>
    /// The scripted configuration that runs exactly these steps: a vCPU per guest actor that takes part, with the
    /// operations it starts in order, and a host thread per host actor that takes part; the steps renumbered to match.
    /// </summary>
    (Configuration? Config, List<RecordedStep> Steps) Script(IReadOnlyList<RecordedStep> steps)
    {
        var guests = steps.Where(s => s.Op.IsGuest).Select(s => s.Actor).Distinct().Order().ToList();
        var hosts = steps.Where(s => !s.Op.IsGuest).Select(s => s.Actor).Distinct().Order().ToList();
        if (guests.Count == 0) return (null, []);
        var renumber = guests.Concat(hosts).Select((actor, i) => (actor, i)).ToDictionary(p => p.actor, p => p.i);
        var scripts = guests.Select(_ => new List<string>()).ToList();
        var units = Units(steps);
        for (int i = 0; i < steps.Count; i++)
            if (steps[i].Op.IsGuest && Array.IndexOf(units, units[i]) == i)
                scripts[renumber[steps[i].Actor]].Add($"{steps[i].Op} {steps[i].Page}");
        var config = _found with
        {
            Program = ProgramKind.Scripted,
            Scripts = scripts,
            Vcpus = null,
            HostThreads = hosts.Count,
            Iterations = 1,
        };
        return (config, steps.Select(s => s with { Actor = renumber[s.Actor], Result = null, PagesAfter = null }).ToList());
    }

    /// <summary>
    /// Numbers each step with the operation it belongs to: an actor's steps from a start (a whole step or a first load)
    /// up to the step that finishes it — a store that does not owe a data store, a write's data store, a host's failed swap.
    /// </summary>
    static int[] Units(IReadOnlyList<RecordedStep> steps)
    {
        var units = new int[steps.Count];
        var open = new Dictionary<int, int>();
        int next = 0;
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            if (!open.TryGetValue(s.Actor, out int unit)) unit = open[s.Actor] = next++;
            units[i] = unit;
            bool host = s.Op.Op == Operation.HostReclaim;
            bool finished = s.Phase switch
            {
                Phase.Whole or Phase.StoreData => true,
                Phase.Commit => host || s.Op.Op != Operation.Write || s.Result is not { Outcome: Outcome.Ok },
                Phase.Retry => host,
                _ => false,
            };
            if (finished) open.Remove(s.Actor);
        }
        return units;
    }

    static IEnumerable<HashSet<int>> OperationGroups(IReadOnlyList<RecordedStep> steps)
    {
        var units = Units(steps);
        return units.Distinct().Select(u => Enumerable.Range(0, steps.Count).Where(i => units[i] == u).ToHashSet());
    }

    static IEnumerable<HashSet<int>> ActorGroups(IReadOnlyList<RecordedStep> steps) =>
        steps.Select(s => s.Actor).Distinct().Select(a => Enumerable.Range(0, steps.Count).Where(i => steps[i].Actor == a).ToHashSet());
}
