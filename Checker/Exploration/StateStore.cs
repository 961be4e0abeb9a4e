using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The visited set: states stored inline in open-addressing tables, split into <see cref="Segments"/> segments by the
/// top bits of the state's hash so that each segment can be filled by its own thread and grows on its own (by half, at
/// three-quarters full, so the store holds 10.7 to 16 bytes a one-word state). No indices and no parents: traces are
/// rebuilt by searching again (<see cref="BreadthFirstSearch"/>).
/// A state that fits one word (63 bits) is stored as one word; a wider one as two; with hash compaction every state is
/// stored as a 64-bit signature of its hash, so two states with equal signatures count as one (SPIN's -DHC).
/// </summary>
public sealed class StateStore
{
    public const int SegmentBits = 6, Segments = 1 << SegmentBits;
    const int InitialCapacity = 64; // small runs stay small: 64 segments of 64 slots is 32 KiB

    sealed class Segment
    {
        public ulong[] Keys = new ulong[InitialCapacity]; // one word + 1, the low word, or the signature; 0 is empty
        public ulong[]? High;                            // two-word states: the high word + 1
        public int Count;
    }

    readonly Segment[] _segments = new Segment[Segments];
    readonly bool _twoWords;

    /// <summary>True when states are stored as hash signatures, which may merge distinct states.</summary>
    public bool HashCompact { get; }

    public StateStore(bool oneWordStates, bool hashCompact)
    {
        HashCompact = hashCompact;
        _twoWords = !oneWordStates && !hashCompact;
        for (int i = 0; i < Segments; i++) _segments[i] = new Segment { High = _twoWords ? new ulong[InitialCapacity] : null };
    }

    public long Count { get; private set; }

    /// <summary>Bytes stored per slot.</summary>
    public int SlotBytes => _twoWords ? 16 : 8;

    /// <summary>Bytes held by the tables now.</summary>
    public long Bytes => _segments.Sum(s => (long)s.Keys.Length) * SlotBytes;

    /// <summary>Bytes the tables would hold after <paramref name="more"/> further states, spread evenly over the segments.</summary>
    public long BytesAfterAdding(long more)
    {
        long bytes = 0;
        foreach (var s in _segments)
        {
            long need = s.Count + more / Segments + 1, cap = s.Keys.Length;
            while (need * 4 > cap * 3) cap = cap * 3 / 2;
            bytes += cap * SlotBytes;
        }
        return bytes;
    }

    /// <summary>
    /// The probability that hash compaction left out at least one state: with n states and b-bit signatures, about
    /// n²/2^(b+1) (the birthday bound SPIN prints for -DHC). Zero for exact storage.
    /// </summary>
    public double OmissionProbability => HashCompact ? Math.Min(1, (double)Count * Count / Math.Pow(2, 64)) : 0;

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong KeyOf(in PackedState s, ulong hash) => HashCompact ? hash : _twoWords ? s.A : s.A + 1;

    // A signature is the hash with its low bit set (never 0); its home slot is computed from the signature itself.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong Signed(ulong hash) => HashCompact ? hash | 1 : hash;

    /// <summary>Starts loading the cache line a look-up of <paramref name="hash"/> will read first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong hash)
    {
        if (!Sse.IsSupported) return;
        hash = Signed(hash);
        var seg = _segments[SegmentOf(hash)];
        int i = Home(hash, seg.Keys.Length);
        fixed (ulong* p = &seg.Keys[i]) Sse.Prefetch0(p);
        if (seg.High is { } high) fixed (ulong* p = &high[i]) Sse.Prefetch0(p);
    }

    /// <summary>Whether a state is stored. Safe from many threads while nobody adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(in PackedState s, ulong hash)
    {
        hash = Signed(hash);
        var seg = _segments[SegmentOf(hash)];
        var keys = seg.Keys;
        ulong key = KeyOf(s, hash);
        int cap = keys.Length;
        if (_twoWords)
        {
            var high = seg.High!;
            ulong hk = s.B + 1;
            for (int i = Home(hash, cap); ; i = i + 1 == cap ? 0 : i + 1)
            {
                if (high[i] == 0) return false;
                if (keys[i] == key && high[i] == hk) return true;
            }
        }
        for (int i = Home(hash, cap); ; i = i + 1 == cap ? 0 : i + 1)
        {
            ulong k = keys[i];
            if (k == key) return true;
            if (k == 0) return false;
        }
    }

    /// <summary>Adds a state unless stored; true if it is new. One thread at a time per segment.</summary>
    public bool TryAdd(in PackedState s, ulong hash)
    {
        hash = Signed(hash);
        var seg = _segments[SegmentOf(hash)];
        if (Contains(s, hash)) return false;
        if ((seg.Count + 1) * 4L > seg.Keys.Length * 3L) Grow(seg);
        Place(seg, KeyOf(s, hash), s.B + 1, hash);
        seg.Count++;
        return true;
    }

    /// <summary>Adds up the segments' counts after a parallel merge.</summary>
    public void Recount() => Count = _segments.Sum(s => (long)s.Count);

    void Place(Segment seg, ulong key, ulong high, ulong hash)
    {
        int cap = seg.Keys.Length;
        int i = Home(hash, cap);
        if (_twoWords)
        {
            while (seg.High![i] != 0) i = i + 1 == cap ? 0 : i + 1;
            seg.High[i] = high;
        }
        else
            while (seg.Keys[i] != 0) i = i + 1 == cap ? 0 : i + 1;
        seg.Keys[i] = key;
    }

    void Grow(Segment seg)
    {
        var (keys, high) = (seg.Keys, seg.High);
        int cap = keys.Length * 3 / 2;
        seg.Keys = new ulong[cap];
        seg.High = high is null ? null : new ulong[cap];
        for (int i = 0; i < keys.Length; i++)
        {
            if (high is null ? keys[i] == 0 : high[i] == 0) continue;
            var state = HashCompact ? default : high is null ? new PackedState(keys[i] - 1, 0) : new PackedState(keys[i], high[i] - 1);
            Place(seg, keys[i], high is null ? 0 : high[i], HashCompact ? keys[i] : Hash(state));
        }
    }
}
