using System.Runtime.CompilerServices;
using PageHintVerify.Engine;

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
/// A memoized step group as the search reads it: its step count, where its effects lie in the table's effect pool, and
/// whether its steps keep the actor's local state (<see cref="StepGroup.KeepsLocal"/>). Sixteen bytes with its key.
/// </summary>
public readonly record struct GroupSlot(int First, ushort Steps, byte Count, bool KeepsLocal);

/// <summary>
/// Memoized steps. An actor's steps on a page depend only on the actor's local state and that page's word (page and
/// pin), never on other pages, so they are computed once per (actor, local state, page, word) by the step-by-step
/// interleaving code and reused for every state that shares them. Flat storage, because the search reads it for every
/// actor and page of every state: open addressing over (key, <see cref="GroupSlot"/>) entries, the effects in a pool
/// of fixed chunks that never move, so a look-up costs two cache lines. Lock-free reads; inserts under a lock.
/// </summary>
public sealed class StepTable(Func<ulong, StepGroup> compute)
{
    struct Entry
    {
        public ulong Key;      // key + 1; 0 is empty. Written last, so a reader that sees it sees the slot.
        public GroupSlot Slot;
    }

    sealed class Table(int capacity)
    {
        public readonly Entry[] Entries = new Entry[capacity];
        public int Count;
    }

    const int ChunkBits = 12, ChunkSize = 1 << ChunkBits; // a group has at most 255 effects

    volatile Table _table = new(1 << 12);
    volatile StepEffect[][] _chunks = [new StepEffect[ChunkSize]];
    int _used;                       // effects used in the last chunk
    readonly Lock _gate = new();

    public int Count => _table.Count;

    /// <summary>Bytes held by the memo: entries and effect chunks.</summary>
    public long Bytes => _table.Entries.LongLength * Unsafe.SizeOf<Entry>() + (long)_chunks.Length * ChunkSize * Unsafe.SizeOf<StepEffect>();

    /// <summary>The effects of a group returned by <see cref="Get"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<StepEffect> EffectsOf(GroupSlot g) =>
        new(_chunks[g.First >> ChunkBits], g.First & (ChunkSize - 1), g.Count);

    /// <summary>Every memoized (key, steps) pair, in key order.</summary>
    public IReadOnlyList<(ulong Key, StepGroup Steps)> Entries
    {
        get
        {
            var t = _table;
            return t.Entries.Where(e => e.Key != 0)
                .Select(e => (e.Key - 1, new StepGroup(e.Slot.Steps, EffectsOf(e.Slot).ToArray(), e.Slot.KeepsLocal)))
                .OrderBy(e => e.Item1).ToList();
        }
    }

    /// <summary>Where a key keeps its parts: actor in the low bits, then page, page block (27 bits: a page, its pin and at
    /// cas one load bit per actor) and local state (31 bits).</summary>
    public const int PageShift = 3, WordShift = 5, LocalShift = 32;

    public static (int Actor, int Local, int Page, int Word) Decode(ulong key) =>
        ((int)(key & ((1 << PageShift) - 1)), (int)(key >> LocalShift), (int)((key >> PageShift) & ((1 << (WordShift - PageShift)) - 1)),
         (int)((key >> WordShift) & ((1 << (LocalShift - WordShift)) - 1)));

    public static ulong Key(int actor, int local, int page, int word) =>
        ((ulong)(uint)local << LocalShift) | ((ulong)(uint)word << WordShift) | ((ulong)(uint)page << PageShift) | (uint)actor;

    /// <summary>Every key memoized so far.</summary>
    public IEnumerable<ulong> Keys => _table.Entries.Where(e => e.Key != 0).Select(e => e.Key - 1).ToList();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public GroupSlot Get(ulong key)
    {
        var entries = _table.Entries;
        int mask = entries.Length - 1;
        ulong stored = key + 1;
        for (int i = Slot(key, mask); ; i = (i + 1) & mask)
        {
            ulong k = Volatile.Read(ref entries[i].Key);
            if (k == stored) return entries[i].Slot;
            if (k == 0) return Add(key);
        }
    }

    /// <summary>Starts loading the slot where a look-up of <paramref name="key"/> starts.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong key)
    {
        var entries = _table.Entries;
        CacheLine.Prefetch(ref entries[Slot(key, entries.Length - 1)]);
    }

    /// <summary>A key's home slot in a table of mask + 1 slots: the top bits of a multiplicative hash.</summary>
    public static int Slot(ulong key, int mask) => (int)((key * HashMultiplier) >> HashShift) & mask;

    /// <summary>The constants of <see cref="Slot"/> (the exported Promela model's C look-up uses them too).</summary>
    public const ulong HashMultiplier = 0x9E3779B97F4A7C15UL;
    public const int HashShift = 40;

    GroupSlot Add(ulong key)
    {
        var group = compute(key);
        lock (_gate)
        {
            var t = _table;
            if (Find(t, key) is { } known) return known;
            if (group.Steps > ushort.MaxValue || group.Effects.Length > byte.MaxValue)
                throw new Cli.UsageException($"one actor has {group.Steps:N0} steps with {group.Effects.Length:N0} distinct effects on one page "
                    + $"(the step table holds at most {ushort.MaxValue:N0} and {byte.MaxValue}): the protocol offers too many outcomes");
            // A group's effects lie in one chunk; a new chunk is published before any entry that points into it.
            // (At or over the end: a chunk filled to its last slot would give an empty group a place in a chunk not made yet.)
            if (_used + group.Effects.Length >= ChunkSize)
            {
                _chunks = [.. _chunks, new StepEffect[ChunkSize]];
                _used = 0;
            }
            var chunks = _chunks;
            group.Effects.CopyTo(chunks[^1], _used);
            var slot = new GroupSlot(((chunks.Length - 1) << ChunkBits) | _used, (ushort)group.Steps, (byte)group.Effects.Length, group.KeepsLocal);
            _used += group.Effects.Length;
            if ((t.Count + 1) * 2 > t.Entries.Length)
            {
                var bigger = new Table(t.Entries.Length * 2);
                foreach (var e in t.Entries)
                    if (e.Key != 0) Insert(bigger, e.Key - 1, e.Slot);
                Insert(bigger, key, slot);
                _table = bigger;
            }
            else Insert(t, key, slot);
            return slot;
        }
    }

    static GroupSlot? Find(Table t, ulong key)
    {
        int mask = t.Entries.Length - 1;
        for (int i = Slot(key, mask); t.Entries[i].Key != 0; i = (i + 1) & mask)
            if (t.Entries[i].Key == key + 1) return t.Entries[i].Slot;
        return null;
    }

    static void Insert(Table t, ulong key, GroupSlot slot)
    {
        int mask = t.Entries.Length - 1;
        int i = Slot(key, mask);
        while (t.Entries[i].Key != 0) i = (i + 1) & mask;
        t.Entries[i].Slot = slot;
        Volatile.Write(ref t.Entries[i].Key, key + 1);
        t.Count++;
    }
}
