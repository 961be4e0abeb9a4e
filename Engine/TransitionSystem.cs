namespace PageHintVerify.Engine;

/// <summary>Whether a property is judged on every reachable state or on every step.</summary>
public enum PropertyKind : byte { State, Transition }

/// <summary>A safety property of a transition system: violations are reported by its index in
/// <see cref="ITransitionSystem{TStep}.Properties"/>, as bit <c>1 &lt;&lt; index</c> of a mask.</summary>
public sealed record Property(string Id, string Name, PropertyKind Kind);

/// <summary>A step from a state: the state it leads to, the step, and the transition properties it violates (a mask
/// over <see cref="ITransitionSystem{TStep}.Properties"/>, without the target's state properties).</summary>
public readonly record struct Transition<TStep>(PackedState State, TStep Step, int Violations);

/// <summary>
/// A finite transition system as the engine explores it (Stateright's <c>Model</c>, TLC's spec): an initial state,
/// every step from a state in a fixed order, and the safety properties to check. States are <see cref="PackedState"/>s.
/// Pass an implementation as a struct type argument where speed matters: the search is then compiled for it, with
/// direct calls.
/// </summary>
/// <typeparam name="TStep">What a trace shows of one step.</typeparam>
public interface ITransitionSystem<TStep>
{
    /// <summary>The initial state.</summary>
    PackedState Initial { get; }

    /// <summary>How many bits a state uses: at most 63 lets a store keep each state as one word.</summary>
    int StateBits { get; }

    /// <summary>The properties checked, at most 32; violations are masks over this list.</summary>
    IReadOnlyList<Property> Properties { get; }

    /// <summary>The state properties <paramref name="s"/> violates, as a mask.</summary>
    int StateViolations(in PackedState s);

    /// <summary>Every step from <paramref name="s"/>, in a fixed order, added to <paramref name="into"/>.</summary>
    void Successors(in PackedState s, List<Transition<TStep>> into);

    /// <summary>
    /// The fast path of <see cref="Successors"/>: the successors that matter (see <see cref="Expansion"/>), with the
    /// violations of each step and of its target. The default takes every step from <see cref="Successors"/>.
    /// </summary>
    void Expand(in PackedState s, Expansion into)
    {
        if (into.Scratch is not List<Transition<TStep>> steps) into.Scratch = steps = [];
        steps.Clear();
        Successors(s, steps);
        into.Count = 0;
        for (int k = 0; k < steps.Count; k++) into.Add(steps[k].State, steps[k].Violations | StateViolations(steps[k].State), k);
        into.Steps = steps.Count;
    }

    /// <summary>A hint: <paramref name="s"/> is expanded next, after the state being expanded now. A system whose
    /// <see cref="Expand"/> reads memory a cache may not hold (a memo of steps) can start loading it here, so that the
    /// loads overlap the current expansion. The default does nothing.</summary>
    void Prefetch(in PackedState s) { }

    /// <summary>Whether <see cref="Canonical"/> can merge any states.</summary>
    bool HasSymmetry => false;

    /// <summary>A representative of the state's symmetry orbit, which must violate the same state properties and have
    /// the same successors up to symmetry. The default is the state itself.</summary>
    PackedState Canonical(in PackedState s) => s;

    /// <summary>Bytes the system holds for memoized steps, counted in a search's peak memory.</summary>
    long MemoBytes => 0;
}
