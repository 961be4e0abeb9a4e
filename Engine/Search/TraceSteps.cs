namespace PageHintVerify.Engine;

/// <summary>The steps a trace is rebuilt from, shared by the single-process and the partitioned search: what is stored
/// for a state, whether one stored state leads to another, and the replay of a chain of stored states with full
/// steps.</summary>
static class TraceSteps
{
    /// <summary>The state a search stores for <paramref name="s"/>: its orbit's representative under symmetry.</summary>
    public static PackedState Stored<TSystem, TStep>(TSystem system, bool symmetry, in PackedState s)
        where TSystem : ITransitionSystem<TStep> => symmetry ? system.Canonical(s) : s;

    /// <summary>Whether a successor of <paramref name="from"/> is stored as <paramref name="to"/>.</summary>
    public static bool LeadsTo<TSystem, TStep>(TSystem system, bool symmetry, in PackedState from, in PackedState to, Expansion buffer)
        where TSystem : ITransitionSystem<TStep>
    {
        system.Expand(from, buffer);
        for (int k = 0; k < buffer.Count; k++)
            if (Stored<TSystem, TStep>(system, symmetry, buffer.States[k]) == to) return true;
        return false;
    }

    /// <summary>
    /// The trace along <paramref name="chain"/> (the stored state of each level up to the sighting's), replayed forwards
    /// from the initial state with full steps, then the step of the sighting; under symmetry each step is the one whose
    /// target has the stored representative, and the last the first that violates <paramref name="property"/>.
    /// </summary>
    public static List<Transition<TStep>> Replay<TSystem, TStep>(TSystem system, bool symmetry, PackedState[] chain, int property, int ordinal)
        where TSystem : ITransitionSystem<TStep>
    {
        var successors = new List<Transition<TStep>>();
        var trace = new List<Transition<TStep>>();
        int last = chain.Length - 1;
        var x = system.Initial;
        for (int l = 1; l <= last + 1; l++)
        {
            successors.Clear();
            system.Successors(x, successors);
            var step = l <= last ? successors.First(s => Stored<TSystem, TStep>(system, symmetry, s.State) == chain[l])
                : symmetry ? successors.First(s => ((s.Violations | system.StateViolations(s.State)) & 1 << property) != 0)
                : successors[ordinal];
            trace.Add(step);
            x = step.State;
        }
        return trace;
    }
}
