using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// The visited set, exact unless hash-compacted: 64 segments chosen by the top bits of a state's hash, each a
/// <see cref="QuotientTable"/> filled by one thread at a time and grown on its own (by an eighth at nine-tenths full),
/// so a level's merge runs one task per segment. No indices and no parents: traces are rebuilt by searching again
/// (<see cref="BreadthFirstSearch{TSystem, TStep}"/>).
/// A segment files a value per state and keeps only the bits its home slot does not imply, with a distance, in a slot
/// at the tables' 0.8 to 0.9 load:
/// - a state that fits one word (63 bits): its narrow hash (<see cref="StateHash"/>) below the segment bits; the hash
///   is a bijection of the state's n bits, so this is the state, exactly, in n − 6 bits (22-bit slots, about 3 bytes a
///   state, on the 36 bits of two pages of <c>any</c> at 8 million states);
/// - a wider state is collapsed (SPIN's -DCOLLAPSE): each of its two words is interned in a <see cref="ComponentTable"/>
///   and the pair of indices (29 bits each), scrambled by a bijection so that its top bits spread, is the value, for a
///   few distinct words serve millions of states (their tables add under a byte a state on three pages at cas); the
///   segment is still chosen by the whole state's hash, but the home slot needs the indices, so it is not prefetched;
/// - with hash compaction, the 64-bit signature of any state, so two states with equal signatures count as one
///   (SPIN's -DHC).
/// The last two file 58-bit values, in slots of 46 to 48 bits at a few million states (about 7 bytes a state).
/// </summary>
public sealed class StateStore
{
    public const int SegmentBits = 6, Segments = 1 << SegmentBits;
    /// <summary>The widest state kept as one word: the top bit stays free (<see cref="BitLayout"/>).</summary>
    public const int OneWordBits = 63;
    const int KeyBits = StateHash.WideValueBits;
    const ulong KeyMask = (1UL << KeyBits) - 1, LowIndexMask = (1UL << ComponentTable.IndexBits) - 1;
    // Odd multipliers of the collapsed pair's scramble, and their inverses (mod 2^64, so mod 2^58 too).
    const ulong PairOdd1 = 0xC2B2AE3D27D4EB4FUL, PairOdd2 = 0xFF51AFD7ED558CCDUL;
    static readonly ulong PairInverse1 = StateHash.Inverse(PairOdd1), PairInverse2 = StateHash.Inverse(PairOdd2);

    readonly QuotientTable[] _segments = new QuotientTable[Segments];
    readonly ComponentTable? _wordA, _wordB; // the two words' tables when states are collapsed

    /// <summary>True when states are stored as hash signatures, which may merge distinct states.</summary>
    public bool HashCompact { get; }

    /// <summary>True when two-word states are stored as a pair of component indices.</summary>
    public bool Collapsed => _wordA is not null;

    /// <summary>Distinct words interned by the collapsed store (0 otherwise).</summary>
    public long Components => (_wordA?.Count ?? 0) + (long)(_wordB?.Count ?? 0);

    /// <summary>A store for the states of a system of <paramref name="stateBits"/> bits.</summary>
    public StateStore(int stateBits, bool hashCompact)
    {
        HashCompact = hashCompact;
        Hashing = StateHash.For(stateBits, hashCompact);
        if (stateBits > OneWordBits && !hashCompact) (_wordA, _wordB) = (new ComponentTable(), new ComponentTable());
        for (int i = 0; i < Segments; i++) _segments[i] = new QuotientTable(Hashing.ValueBits);
    }

    /// <summary>The hash the store files states by (<see cref="Hash"/>).</summary>
    public readonly StateHash Hashing;

    /// <summary>The hash of <paramref name="s"/> that this store's methods take: a bijection on one-word states, so a
    /// search may compare one-word states by hash alone (<see cref="StateHash"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Hash(in PackedState s) => Hashing.Of(s);

    public long Count { get; private set; }

    /// <summary>Bytes held by the tables now, the component tables included.</summary>
    public long Bytes => _segments.Sum(s => s.Bytes) + (_wordA?.Bytes ?? 0) + (_wordB?.Bytes ?? 0);

    /// <summary>
    /// Bytes the tables would hold after <paramref name="more"/> further states, spread evenly over the segments. The
    /// component tables are assumed to keep growing as they have so far, in distinct words per stored state.
    /// </summary>
    public long BytesAfterAdding(long more)
    {
        long bytes = _segments.Sum(s => s.BytesAt(s.Count + more / Segments + 1));
        foreach (var table in (ReadOnlySpan<ComponentTable?>)[_wordA, _wordB])
            if (table is not null) bytes += table.BytesAfterAdding(Math.Min(more, (long)Math.Ceiling((double)more * table.Count / Math.Max(Count, 1))));
        return bytes;
    }

    /// <summary>
    /// The probability that hash compaction left out at least one state: with n states and b-bit signatures, about
    /// n²/2^(b+1) (the birthday bound SPIN prints for -DHC). Zero for exact storage.
    /// </summary>
    public double OmissionProbability => OmissionFor(Count, HashCompact);

    /// <summary><see cref="OmissionProbability"/> for <paramref name="count"/> states stored, however many stores hold them.</summary>
    public static double OmissionFor(long count, bool hashCompact) => hashCompact ? Math.Min(1, (double)count * count / Math.Pow(2, 64)) : 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SegmentOf(ulong hash) => (int)(hash >> (64 - SegmentBits));

    /// <summary>The value a segment files for <paramref name="s"/>, or false if it is collapsed and a word is not
    /// interned (so the state is not stored either). The first half of <see cref="Contains"/>, for look-ups that
    /// prefetch the key's slot in between (<see cref="PrefetchKey"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryKey(in PackedState s, ulong hash, out ulong key)
    {
        if (_wordA is null) key = UncollapsedKey(hash);
        else if (_wordA.TryFind(s.A, out int a) && _wordB!.TryFind(s.B, out int b)) key = Collapse(a, b);
        else { key = 0; return false; }
        return true;
    }

    /// <summary>The value of a state that is not collapsed: its hash (or signature, the hash with its low bit set)
    /// below the segment bits (of a narrow hash, n − 6 bits: those between are 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong UncollapsedKey(ulong hash) => (HashCompact ? hash | 1 : hash) & KeyMask;

    /// <summary>The pair of indices, scrambled over 58 bits (odd multiplies and xor-shifts, each invertible) so that a
    /// segment's home slots are used evenly although indices are small and dense.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Collapse(int a, int b)
    {
        ulong k = ((ulong)a << ComponentTable.IndexBits | (uint)b) * PairOdd1 & KeyMask;
        k ^= k >> 29;
        k = k * PairOdd2 & KeyMask;
        return k ^ (k >> 31);
    }

    static (int A, int B) Uncollapse(ulong k)
    {
        k ^= k >> 31;
        k = k * PairInverse2 & KeyMask;
        k ^= k >> 29;
        k = k * PairInverse1 & KeyMask;
        return ((int)(k >> ComponentTable.IndexBits), (int)(k & LowIndexMask));
    }

    /// <summary>Every stored state, segment by segment (in <see cref="Entries"/> order). Not with hash compaction,
    /// which keeps signatures, not states.</summary>
    public IEnumerable<PackedState> States() =>
        HashCompact ? throw new InvalidOperationException("a hash-compacted store keeps signatures, not states")
            : Entries().Select(e => e.State);

    /// <summary>Starts loading the cache lines a look-up of <paramref name="s"/> (with its <paramref name="hash"/>) will
    /// read first: the home slot, or for a collapsed state (whose home needs its indices) the words' tables.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(in PackedState s, ulong hash)
    {
        if (_wordA is null) _segments[SegmentOf(hash)].Prefetch(UncollapsedKey(hash));
        else
        {
            _wordA.Prefetch(s.A);
            _wordB!.Prefetch(s.B);
        }
    }

    /// <summary>Whether a state is stored. Safe from many threads while nobody adds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(in PackedState s, ulong hash) => TryKey(s, hash, out ulong key) && ContainsKey(hash, key);

    /// <summary>Starts loading the slot a look-up of <paramref name="key"/> (of a state hashed
    /// <paramref name="hash"/>) reads first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchKey(ulong hash, ulong key) => _segments[SegmentOf(hash)].Prefetch(key);

    /// <summary>Whether a state with this hash and key is stored: the second half of <see cref="Contains"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContainsKey(ulong hash, ulong key) => _segments[SegmentOf(hash)].Contains(key);

    /// <summary>Adds a state unless stored; true if it is new. One thread at a time per segment; the component
    /// tables are shared by all segments and take concurrent adds.</summary>
    public bool TryAdd(in PackedState s, ulong hash) => _segments[SegmentOf(hash)].TryAdd(KeyToAdd(s, hash));

    /// <summary><see cref="TryAdd"/> for a state <see cref="Contains"/> did not find since its segment was last settled
    /// (<see cref="Settle"/>, <see cref="Recount"/>): the segment checks only the states added since.</summary>
    public bool TryAddMissing(in PackedState s, ulong hash) => _segments[SegmentOf(hash)].TryAddMissing(KeyToAdd(s, hash));

    /// <summary>Starts loading what <see cref="TryAddMissing"/> reads first for <paramref name="s"/>: a collapsed
    /// store's word tables (the segment's waiting set is small; its slots are not read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchToAdd(in PackedState s)
    {
        if (_wordA is null) return;
        _wordA.Prefetch(s.A);
        _wordB!.Prefetch(s.B);
    }

    /// <summary>The value a segment files for a state being added, interning a collapsed state's words (harmless before
    /// the look-up: a stored state's words are interned already).</summary>
    ulong KeyToAdd(in PackedState s, ulong hash) =>
        _wordA is null ? UncollapsedKey(hash) : Collapse(_wordA.Intern(s.A), _wordB!.Intern(s.B));

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
        const long Stride = 2_654_435_761; // a prime above any segment's count, so the steps visit every value once
        var (wordA, wordB) = (_wordA?.Values(), _wordB?.Values());
        for (int seg = 0; seg < Segments; seg++)
        {
            var keys = _segments[seg].Values().ToArray();
            if (keys.Length == 0) continue;
            long step = Stride % keys.Length;
            for (long n = 0, i = 0; n < keys.Length; n++, i = (i + step) % keys.Length)
            {
                ulong hashed = (ulong)seg << KeyBits | keys[i];
                if (HashCompact) yield return (default, hashed);
                else if (wordA is null) yield return (new PackedState(Hashing.Word(hashed), 0), hashed);
                else
                {
                    var (x, y) = Uncollapse(keys[i]);
                    var state = new PackedState(wordA[x], wordB![y]);
                    yield return (state, Hash(state));
                }
            }
        }
    }

    /// <summary>Places the states added to a segment since it was last settled (<see cref="QuotientTable.Settle"/>): a
    /// merge settles each segment when it has added its states.</summary>
    public void Settle(int segment) => _segments[segment].Settle();

    /// <summary>Settles every segment and adds up their counts, after a merge.</summary>
    public void Recount()
    {
        foreach (var s in _segments) s.Settle();
        Count = _segments.Sum(s => (long)s.Count);
    }
}
