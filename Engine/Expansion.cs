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
        Reserve(1);
        AddReserved(s, violations, ordinal);
    }

    /// <summary>Makes room for <paramref name="more"/> successors, so that a system adding a known number of them (a
    /// memoized step group) checks the room once, not at each one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Reserve(int more)
    {
        if (Count + more <= States.Length) return;
        int size = Math.Max(Count + more, States.Length * 2);
        Array.Resize(ref States, size);
        Array.Resize(ref Violations, size);
        Array.Resize(ref Ordinals, size);
    }

    /// <summary><see cref="Add"/> after <see cref="Reserve"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddReserved(PackedState s, int violations, int ordinal)
    {
        States[Count] = s;
        Ordinals[Count] = ordinal;
        Violations[Count++] = violations;
    }
}
