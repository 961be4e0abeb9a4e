using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace PageHintVerify.Engine;

/// <summary>
/// The visited set: states stored inline in open-addressing tables, split into <see cref="Segments"/> segments by the
/// top bits of the state's hash so that each segment can be filled by its own thread and grows on its own (by half, at
/// three-quarters full, so the store holds 10.7 to 16 bytes a stored word). No indices and no parents: traces are
/// rebuilt by searching again (<see cref="BreadthFirstSearch{TSystem, TStep}"/>).
/// Every state is stored as one word. A state that fits one word (63 bits) is that word; a wider one is collapsed
/// (SPIN's -DCOLLAPSE): each of its two words is interned in a <see cref="ComponentTable"/> and the state stored as
/// the pair of indices, exactly, for a few distinct words serve millions of states. With hash compaction every state is
/// stored as a 64-bit signature of its hash, so two states with equal signatures count as one (SPIN's -DHC).
/// A slot's home is always computed from the whole state's hash, so a look-up can prefetch it before interning.
/// </summary>
public sealed class StateStore
{
    public const int SegmentBits = 6, Segments = 1 << SegmentBits;
    /// <summary>The widest state kept as one word: the top bit stays free (<see cref="BitLayout"/>).</summary>
    public const int OneWordBits = 63;
    const int InitialCapacity = 64; // small runs stay small: 64 segments of 64 slots is 32 KiB
    const ulong LowIndexMask = (1UL << ComponentTable.IndexBits) - 1;

    sealed class Segment
    {
        public ulong[] Keys = new ulong[InitialCapacity]; // one word + 1, the collapsed pair + 1, or the signature; 0 is empty
        public int Count;
    }

    readonly Segment[] _segments = new Segment[Segments];
    readonly ComponentTable? _wordA, _wordB; // the two words' tables when states are collapsed

    /// <summary>True when states are stored as hash signatures, which may merge distinct states.</summary>
    public bool HashCompact { get; }

    /// <summary>True when two-word states are stored as a pair of component indices.</summary>
    public bool Collapsed => _wordA is not null;

    /// <summary>Distinct words interned by the collapsed store (0 otherwise).</summary>
    public long Components => (_wordA?.Count ?? 0) + (long)(_wordB?.Count ?? 0);

    public StateStore(bool oneWordStates, bool hashCompact)
    {
        HashCompact = hashCompact;
        if (!oneWordStates && !hashCompact) (_wordA, _wordB) = (new ComponentTable(), new ComponentTable());
        for (int i = 0; i < Segments; i++) _segments[i] = new Segment();
    }

    public long Count { get; private set; }

    /// <summary>Bytes held by the tables now, the component tables included.</summary>
    public long Bytes => _segments.Sum(s => (long)s.Keys.Length) * 8 + (_wordA?.Bytes ?? 0) + (_wordB?.Bytes ?? 0);

    /// <summary>
    /// Bytes the tables would hold after <paramref name="more"/> further states, spread evenly over the segments. The
    /// component tables are assumed to keep growing as they have so far, in distinct words per stored state.
    /// </summary>
    public long BytesAfterAdding(long more)
    {
        long bytes = 0;
        foreach (var s in _segments)
        {
            long need = s.Count + more / Segments + 1, cap = s.Keys.Length;
            while (need * 4 > cap * 3) cap = cap * 3 / 2;
            bytes += cap * 8;
        }
        foreach (var table in (ReadOnlySpan<ComponentTable?>)[_wordA, _wordB])
            if (table is not null) bytes += table.BytesAfterAdding(Math.Min(more, (long)Math.Ceiling((double)more * table.Count / Math.Max(Count, 1))));
        return bytes;
    }

    /// <summary>
    /// The probability that hash compaction left out at least one state: with n states and b-bit signatures, about
    /// n²/2^(b+1) (the birthday bound SPIN prints for -DHC). Zero for exact storage.
    /// </summary>
    public double OmissionProbability => HashCompact ? Math.Min(1, (double)Count * Count / Math.Pow(2, 64)) : 0;

    /// <summary>The state's hash. On one-word states (second word 0) it is a bijection of the word, every step being
    /// invertible, so a search may compare one-word states by hash alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(in PackedState s)
    {
        ulong h = (s.A ^ (s.B * 0xC2B2AE3D27D4EB4FUL)) * 0x9E3779B97F4A7C15UL;
        h ^= h >> 32;
        h *= 0xD6E8FEB86659FD93UL;
        return h ^ (h >> 29);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SegmentOf(ulong hash) => (int)(hash >> (64 - SegmentBits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Home(ulong hash, int capacity) => (int)(((ulong)(uint)hash * (ulong)capacity) >> 32);

    /// <summary>The stored word of <paramref name="s"/>, or false if it is collapsed and a word is not interned (so
    /// the state is not stored either).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool TryKeyOf(in PackedState s, ulong hash, out ulong key)
    {
        if (_wordA is null) key = UncollapsedKey(s, hash);
        else if (_wordA.TryFind(s.A, out int a) && _wordB!.TryFind(s.B, out int b)) key = Collapse(a, b);
        else { key = 0; return false; }
        return true;
    }

    /// <summary>The stored word of a state that is not collapsed: its signature, or its one word + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong UncollapsedKey(in PackedState s, ulong hash) => HashCompact ? hash : s.A + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Collapse(int a, int b) => ((ulong)a << ComponentTable.IndexBits | (uint)b) + 1;

    /// <summary>The state a non-signature key stands for.</summary>
    PackedState StateOf(ulong key) => _wordA is null
        ? new PackedState(key - 1, 0)
        : new PackedState(_wordA[(int)((key - 1) >> ComponentTable.IndexBits)], _wordB![(int)((key - 1) & LowIndexMask)]);

    // A signature is the hash with its low bit set (never 0); its home slot is computed from the signature itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong Signed(ulong hash) => HashCompact ? hash | 1 : hash;

    /// <summary>Starts loading the cache lines a look-up of <paramref name="s"/> (with its <paramref name="hash"/>) will read first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(in PackedState s, ulong hash)
    {
        if (!Sse.IsSupported) return;
        hash = Signed(hash);
        var seg = _segments[SegmentOf(hash)];
        int i = Home(hash, seg.Keys.Length);
        fixed (ulong* p = &seg.Keys[i]) Sse.Prefetch0(p);
        if (_wordA is null) return;
        _wordA.Prefetch(s.A);
        _wordB!.Prefetch(s.B);
    }

    /// <summary>Whether a state is stored. Safe from many threads while nobody adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(in PackedState s, ulong hash)
    {
        hash = Signed(hash);
        return TryKeyOf(s, hash, out ulong key) && Holds(_segments[SegmentOf(hash)].Keys, key, hash);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static bool Holds(ulong[] keys, ulong key, ulong hash)
    {
        int cap = keys.Length;
        for (int i = Home(hash, cap); ; i = i + 1 == cap ? 0 : i + 1)
        {
            ulong k = keys[i];
            if (k == key) return true;
            if (k == 0) return false;
        }
    }

    /// <summary>Adds a state unless stored; true if it is new. One thread at a time per segment; the component
    /// tables are shared by all segments and take concurrent adds.</summary>
    public bool TryAdd(in PackedState s, ulong hash)
    {
        hash = Signed(hash);
        var seg = _segments[SegmentOf(hash)];
        // Interning before the look-up is harmless: a stored state's words are interned already.
        ulong key = _wordA is null ? UncollapsedKey(s, hash) : Collapse(_wordA.Intern(s.A), _wordB!.Intern(s.B));
        if (Holds(seg.Keys, key, hash)) return false;
        if ((seg.Count + 1) * 4L > seg.Keys.Length * 3L) Grow(seg);
        Place(seg.Keys, key, hash);
        seg.Count++;
        return true;
    }

    /// <summary>
    /// Every stored entry, segment by segment, as a pair that <see cref="TryAdd"/> takes back: the state and its hash,
    /// or with hash compaction the signature (as the hash) and a default state, which a compacted store never reads.
    /// The slots of a segment are visited in steps of a prime larger than any table, so consecutive entries have homes
    /// all over it: added back in slot order (sorted by home), they would pile into one cluster of the smaller table
    /// that a store starts from, and adding would take time quadratic in the count. For checkpoints; not while
    /// anybody adds.
    /// </summary>
    public IEnumerable<(PackedState State, ulong Hash)> Entries()
    {
        const long Stride = 2_654_435_761;
        foreach (var seg in _segments)
        {
            var keys = seg.Keys;
            long step = Stride % keys.Length;
            for (long n = 0, i = 0; n < keys.Length; n++, i = (i + step) % keys.Length)
            {
                ulong key = keys[i];
                if (key == 0) continue;
                var s = HashCompact ? default : StateOf(key);
                yield return (s, HashCompact ? key : Hash(s));
            }
        }
    }

    /// <summary>Adds up the segments' counts after a parallel merge.</summary>
    public void Recount() => Count = _segments.Sum(s => (long)s.Count);

    static void Place(ulong[] keys, ulong key, ulong hash)
    {
        int cap = keys.Length;
        int i = Home(hash, cap);
        while (keys[i] != 0) i = i + 1 == cap ? 0 : i + 1;
        keys[i] = key;
    }

    void Grow(Segment seg)
    {
        var keys = seg.Keys;
        seg.Keys = new ulong[keys.Length * 3 / 2];
        foreach (ulong key in keys)
            if (key != 0) Place(seg.Keys, key, HashCompact ? key : Hash(StateOf(key)));
    }
}
