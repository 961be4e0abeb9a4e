using System.Runtime.CompilerServices;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// What one step does to a state, as bits: the new actor block and page block to OR in after clearing both, and the
/// invariants the step violates (its transition invariants and the state invariants of the page it leaves behind).
/// </summary>
/// <param name="Ordinal">The step's position among its actor's steps on that page.</param>
public readonly record struct StepEffect(ulong OrA, ulong OrB, int Violations, int Ordinal);

/// <summary>
/// An actor's steps on one page from one (local state, page word): how many there are, and those that matter to a
/// search: the ones that change the state or violate an invariant (a step that changes nothing and violates nothing
/// can neither find a state nor a violation), each distinct effect once (a repeat finds nothing new).
/// </summary>
/// <param name="KeepsLocal">No step changes the actor's local state: an interchangeable actor in the same local state
/// would reach exactly the same states.</param>
public sealed record StepGroup(int Steps, StepEffect[] Effects, bool KeepsLocal)
{
    public static readonly StepGroup None = new(0, [], true);
}

/// <summary>
/// Memoized steps. An actor's steps on a page depend only on the actor's local state and that page's word (page and
/// pin), never on other pages, so they are computed once per (actor, local state, page, word) by the step-by-step
/// interleaving code and reused for every state that shares them. Lock-free reads; inserts under a lock.
/// </summary>
public sealed class StepTable(Func<ulong, StepGroup> compute)
{
    sealed class Table(int capacity)
    {
        public readonly ulong[] Keys = new ulong[capacity]; // key + 1; 0 is empty
        public readonly StepGroup?[] Effects = new StepGroup?[capacity];
        public int Count;
    }

    volatile Table _table = new(1 << 12);
    readonly Lock _gate = new();

    public int Count => _table.Count;

    long _groupBytes;

    /// <summary>Bytes held by the memo (keys and group references, groups and their effects), kept as groups are added.</summary>
    public long Bytes => _table.Keys.LongLength * 16 + Interlocked.Read(ref _groupBytes);

    /// <summary>Every memoized (key, steps) pair, in key order.</summary>
    public IEnumerable<(ulong Key, StepGroup Steps)> Entries
    {
        get
        {
            var t = _table;
            return Enumerable.Range(0, t.Keys.Length).Where(i => t.Keys[i] != 0)
                .Select(i => (t.Keys[i] - 1, t.Effects[i]!)).OrderBy(e => e.Item1).ToList();
        }
    }

    public static (int Actor, int Local, int Page, int Word) Decode(ulong key) =>
        ((int)(key & 7), (int)(key >> 26), (int)((key >> 3) & 3), (int)((key >> 5) & ((1 << 21) - 1)));

    public static ulong Key(int actor, int local, int page, int word) =>
        ((ulong)(uint)local << 26) | ((ulong)(uint)word << 5) | ((ulong)(uint)page << 3) | (uint)actor;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public StepGroup Get(ulong key)
        => Lookup(key);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    StepGroup Lookup(ulong key)
    {
        var t = _table;
        int mask = t.Keys.Length - 1;
        ulong stored = key + 1;
        for (int i = Slot(key, mask); ; i = (i + 1) & mask)
        {
            ulong k = Volatile.Read(ref t.Keys[i]);
            if (k == stored) return t.Effects[i]!;
            if (k == 0) return Add(key);
        }
    }

    static int Slot(ulong key, int mask)
    {
        ulong h = key * 0x9E3779B97F4A7C15UL;
        return (int)(h >> 40) & mask;
    }

    StepGroup Add(ulong key)
    {
        var effects = compute(key);
        lock (_gate)
        {
            var t = _table;
            if (Find(t, key) is { } known) return known;
            Interlocked.Add(ref _groupBytes, 48 + effects.Effects.Length * 32);
            if ((t.Count + 1) * 2 > t.Keys.Length)
            {
                var bigger = new Table(t.Keys.Length * 2);
                for (int i = 0; i < t.Keys.Length; i++)
                    if (t.Keys[i] != 0) Insert(bigger, t.Keys[i] - 1, t.Effects[i]!);
                t = bigger;
                Insert(t, key, effects);
                _table = t;
            }
            else Insert(t, key, effects);
            return effects;
        }
    }

    static StepGroup? Find(Table t, ulong key)
    {
        int mask = t.Keys.Length - 1;
        for (int i = Slot(key, mask); t.Keys[i] != 0; i = (i + 1) & mask)
            if (t.Keys[i] == key + 1) return t.Effects[i];
        return null;
    }

    // Effects before the key: a reader that sees the key sees its effects.
    static void Insert(Table t, ulong key, StepGroup effects)
    {
        int mask = t.Keys.Length - 1;
        int i = Slot(key, mask);
        while (t.Keys[i] != 0) i = (i + 1) & mask;
        t.Effects[i] = effects;
        Volatile.Write(ref t.Keys[i], key + 1);
        t.Count++;
    }
}

/// <summary>
/// A reusable buffer of the successors that matter (see <see cref="StepGroup"/>): each state, the invariants its step
/// violates and its ordinal in <see cref="Interleavings.Successors"/> order; <see cref="Steps"/> counts every step.
/// </summary>
public sealed class Expansion
{
    public PackedState[] States = new PackedState[256];
    /// <summary>The step group of each (actor, page) of the state expanded last, actor-major.</summary>
    public StepGroup[] Groups = [];
    public int[] Violations = new int[256];
    public int[] Ordinals = new int[256];
    public int Count, Steps;

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
