using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// A reusable buffer of the successors of one state that matter to a search: each target state, the properties its
/// step violates (the step's transition properties and the target's state properties, as a mask over
/// <see cref="ITransitionSystem{TStep}.Properties"/>) and its ordinal in <see cref="ITransitionSystem{TStep}.Successors"/>
/// order. A system may leave out steps that change nothing and violate nothing, and repeats; <see cref="Steps"/> counts
/// every step. One thread uses a buffer at a time.
/// </summary>
public sealed class Expansion
{
    public PackedState[] States = new PackedState[256];
    public int[] Violations = new int[256];
    public int[] Ordinals = new int[256];
    public int Count, Steps;

    /// <summary>Working memory the system may keep in the buffer between expansions (for example per-actor memo slots);
    /// the engine never reads it.</summary>
    public object? Scratch;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(PackedState s, int violations, int ordinal)
    {
        if (Count == States.Length)
        {
            Array.Resize(ref States, Count * 2);
            Array.Resize(ref Violations, Count * 2);
            Array.Resize(ref Ordinals, Count * 2);
        }
        States[Count] = s;
        Ordinals[Count] = ordinal;
        Violations[Count++] = violations;
    }
}
