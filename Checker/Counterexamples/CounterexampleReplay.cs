using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>What replaying a counterexample found: the executed trace, and either that it reproduces or where it diverges.</summary>
public sealed record ReplayVerdict(Counterexample Counterexample, Interleavings System, ReplayResult Replay, Divergence? Divergence)
{
    public bool Reproduces => Divergence is null;
}

/// <summary>
/// Re-executes a counterexample against the current model (and, at <c>cas</c> granularity, <see cref="PageTable.CasAlgorithm"/>,
/// which <see cref="Interleavings"/> runs): every step must be enabled, return the recorded result and leave the recorded
/// pages, and the last step must violate the recorded invariant.
/// </summary>
public static class CounterexampleReplay
{
    /// <summary>Replays against the counterexample's variant (<see cref="Counterexample.Variant"/>), or against <paramref name="protocol"/> when given (to try a changed model).</summary>
    public static ReplayVerdict Run(Counterexample c, Protocol? protocol = null)
    {
        var system = new Interleavings(c.Configuration, protocol ?? c.Variant());
        var replay = Replay.Run(system, c.Steps);
        var divergence = replay.Divergence;
        if (divergence is null && (replay.Violations[^1] & c.Invariant.Bit()) == 0)
        {
            int first = replay.FirstViolation(c.Invariant);
            divergence = new Divergence(c.Steps.Count, Replay.Label(system, c.Steps[^1]), $"{c.Invariant.Id} violated by this step",
                first < 0 ? $"no {c.Invariant.Id} violation anywhere" : $"{c.Invariant.Id} violated first at step {first + 1}, not here");
        }
        return new ReplayVerdict(c, system, replay, divergence);
    }
}
