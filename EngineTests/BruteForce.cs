using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>
/// The expected numbers, computed without the engine's search: a plain breadth-first enumeration over a hash set, and
/// the first shortest violating step sequence by enumerating every sequence of each length in step order.
/// </summary>
static class BruteForce
{
    public static (long States, long Transitions, int Depth) Count<TStep>(ITransitionSystem<TStep> system, Func<PackedState, PackedState>? canonical = null)
    {
        canonical ??= s => s;
        var seen = new HashSet<PackedState> { canonical(system.Initial) };
        var level = new List<PackedState> { canonical(system.Initial) };
        long transitions = 0;
        int depth = 0;
        var successors = new List<Transition<TStep>>();
        while (true)
        {
            var next = new List<PackedState>();
            foreach (var s in level)
            {
                successors.Clear();
                system.Successors(s, successors);
                transitions += successors.Count;
                foreach (var t in successors)
                    if (seen.Add(canonical(t.State))) next.Add(canonical(t.State));
            }
            if (next.Count == 0) return (seen.Count, transitions, depth);
            (level, depth) = (next, depth + 1);
        }
    }

    /// <summary>The steps of the first (in step order) of the shortest sequences whose last step violates
    /// <paramref name="property"/> (as a transition property or by the state it reaches).</summary>
    public static List<TStep>? FirstShortestViolation<TStep>(ITransitionSystem<TStep> system, int property, int maxLength)
    {
        for (int length = 1; length <= maxLength; length++)
        {
            var path = new List<TStep>();
            if (Search(system, system.Initial, length, 1 << property, path)) return path;
        }
        return null;
    }

    static bool Search<TStep>(ITransitionSystem<TStep> system, PackedState s, int left, int bit, List<TStep> path)
    {
        var successors = new List<Transition<TStep>>();
        system.Successors(s, successors);
        foreach (var t in successors)
        {
            path.Add(t.Step);
            if (left == 1 ? ((t.Violations | system.StateViolations(t.State)) & bit) != 0 : Search(system, t.State, left - 1, bit, path)) return true;
            path.RemoveAt(path.Count - 1);
        }
        return false;
    }
}
