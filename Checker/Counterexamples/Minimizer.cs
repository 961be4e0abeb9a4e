using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>A minimized trace and the scripted configuration that runs it.</summary>
public sealed record MinimizedTrace(Configuration Configuration, IReadOnlyList<TraceStep> Trace);

/// <summary>
/// Shrinks a breadth-first counterexample below its shortest length by changing the guest program (SPEC section 7:
/// "shortest by BFS, then with every step that can be removed while the same invariant still fails removed").
/// <para>
/// The trace is first turned into a scripted configuration: each vCPU runs exactly the operations it started, in order,
/// and as many host threads as took part, with the host actions the finding allowed. A candidate is that configuration
/// with one actor removed (a host thread or a vCPU's whole script) or one script step (one guest operation) removed; it
/// is kept when a complete breadth-first search of it still finds the same invariant violated, and its trace is that
/// search's shortest one. Candidates are tried actors first, then steps first to last; after each one kept the loop
/// starts again, until no single removal keeps the violation: the result is a fixpoint, every step left is needed.
/// Searching, not replaying one trace, finds removals that need a different interleaving (or, for a nondeterministic
/// protocol, a different target).
/// </para>
/// <para>
/// So that shrinking cannot turn a race into a plain guest mistake (a script that skips its writeback violates I4 with
/// no race at all), a candidate must also keep the blame where the finding put it: its script must violate no invariant
/// at all in the correct system — the reference protocol at atomic granularity, with the same host threads; for a
/// finding made in that system itself, the guest alone, with no host thread. A finding whose own script already fails
/// this guard is not held to it. That one race does not shrink into another is the configuration's business: restrict
/// what the host may do (<see cref="Configuration.AllowedHostActions"/>).
/// </para>
/// </summary>
public sealed class Minimizer
{
    readonly Protocol _protocol;
    readonly Invariant _invariant;
    readonly bool _findingIsInCorrectSystem;
    readonly bool _guard;

    Minimizer(Configuration found, Protocol protocol, Invariant invariant, Configuration script)
    {
        (_protocol, _invariant) = (protocol, invariant);
        _findingIsInCorrectSystem = found.Granularity == Granularity.Atomic && found.Variant == Variants.Reference;
        _guard = !ViolatedInCorrectSystem(script);
    }

    /// <summary>The fixpoint reached from <paramref name="violation"/>, found in <paramref name="found"/> under <paramref name="protocol"/>.</summary>
    public static MinimizedTrace Minimize(Configuration found, Protocol protocol, Violation violation)
    {
        var script = Script(found, violation.Trace);
        var m = new Minimizer(found, protocol, violation.Invariant, script);
        var best = m.Accept(script) ?? throw new InvalidOperationException($"the {violation.Invariant.Id} trace's script does not violate {violation.Invariant.Id}");
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (var candidate in Removals(best.Configuration))
            {
                if (m.Accept(candidate) is not { } smaller) continue;
                best = smaller;
                changed = true;
                break;
            }
        }
        return best;
    }

    /// <summary>
    /// Every configuration one removal smaller than <paramref name="script"/>, in the order they are tried: each host
    /// thread (they are interchangeable: one fewer), each vCPU, then each script step, first to last. A vCPU left with
    /// no step is dropped; a candidate with no vCPU is none.
    /// </summary>
    static IEnumerable<Configuration> Removals(Configuration script)
    {
        var scripts = script.Scripts!;
        if (script.HostThreads > 0) yield return script with { HostThreads = script.HostThreads - 1 };
        if (scripts.Count > 1)
            for (int v = 0; v < scripts.Count; v++)
                yield return script with { Scripts = scripts.Where((_, i) => i != v).ToList() };
        for (int v = 0; v < scripts.Count; v++)
            for (int s = 0; s < scripts[v].Count; s++)
            {
                var shorter = scripts.Select((ops, i) => i == v ? ops.Where((_, j) => j != s).ToList() : ops.ToList())
                    .Where(ops => ops.Count > 0).ToList();
                if (shorter.Count > 0) yield return script with { Scripts = shorter };
            }
    }

    /// <summary>The candidate with its shortest trace to the invariant, or null if the invariant holds there or the guard refuses it.</summary>
    MinimizedTrace? Accept(Configuration candidate)
    {
        var result = new PageSearch(new Interleavings(candidate, _protocol), new SearchOptions { All = true, Threads = 1 }).Run();
        var violation = result.Violations.FirstOrDefault(v => v.Invariant == _invariant);
        if (violation is null) return null;
        if (_guard && ViolatedInCorrectSystem(candidate)) return null;
        return new MinimizedTrace(candidate, violation.Trace);
    }

    bool ViolatedInCorrectSystem(Configuration script)
    {
        var correct = script with
        {
            Variant = Variants.Reference,
            Granularity = Granularity.Atomic,
            HostThreads = _findingIsInCorrectSystem ? 0 : script.HostThreads,
        };
        var result = new PageSearch(new Interleavings(correct, Protocol.Reference), new SearchOptions { All = true, Threads = 1 }).Run();
        // Any violation, not only this invariant's: a minimized guest that skips its writeback breaks I4 before the race.
        return result.Violations.Count > 0;
    }

    /// <summary>
    /// The scripted configuration of a trace: a vCPU per guest actor that takes part, with the operations it starts in
    /// order, and a host thread per host actor that takes part.
    /// </summary>
    static Configuration Script(Configuration found, IReadOnlyList<TraceStep> trace)
    {
        var steps = trace.Select(t => t.Step).ToList();
        var starts = OperationStarts(steps);
        var scripts = steps.Where((s, i) => s.Op.IsGuest && starts[i]).GroupBy(s => s.Actor).OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<string>)g.Select(s => $"{s.Op} {s.Page}").ToList()).ToList();
        return found with
        {
            Program = ProgramKind.Scripted,
            Scripts = scripts,
            Vcpus = null,
            HostThreads = steps.Where(s => !s.Op.IsGuest).Select(s => s.Actor).Distinct().Count(),
            Iterations = 1,
        };
    }

    /// <summary>
    /// Which steps start an operation: a whole step, and a load that does not follow the same actor's failed swap or
    /// failed second load (every split operation begins with a load, and only those two retry it).
    /// </summary>
    static bool[] OperationStarts(IReadOnlyList<Step> steps)
    {
        var starts = new bool[steps.Count];
        var last = new Dictionary<int, Phase>();
        for (int i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            bool retried = last.TryGetValue(s.Actor, out var previous) && previous is Phase.SwapFails or Phase.LoadAgainFails;
            starts[i] = s.Phase is Phase.Whole || (s.Phase is Phase.Load or Phase.LoadReturns && !retried);
            last[s.Actor] = s.Phase;
        }
        return starts;
    }
}
