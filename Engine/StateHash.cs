using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// The hash a search files its states by. Its top <see cref="StateStore.SegmentBits"/> bits pick a store segment, the
/// bits below <see cref="StateStore.SegmentBits"/> + <see cref="ValueBits"/> are what the segment keeps, and on
/// one-word states it is a bijection, so that equal hashes are equal states and a store keeps the hash for the state.
/// - <b>Narrow</b>, for a one-word state of n bits (n from <see cref="StateBits"/>, at least <see cref="MinNarrowBits"/>):
///   a bijection of n-bit words (odd multiplies and xor-shifts modulo 2^n), whose top six bits go to the hash's top and
///   the other n − 6 to its bottom. A segment keeps n − 6 bits a state instead of 58: on two pages of <c>any</c>
///   (36 bits) a slot shrinks from 48 bits to 22.
/// - <b>Wide</b>, for two-word states and for hash compaction: a 64-bit mix of both words, of which a segment keeps 58
///   bits (a collapsed store keeps a pair of indices instead).
/// </summary>
public readonly struct StateHash
{
    /// <summary>The fewest bits a narrow hash spans: then a segment's values have at least 32 bits, more than the home
    /// bits of any table an int can count, so a value always keeps bits below its home.</summary>
    public const int MinNarrowBits = StateStore.SegmentBits + 32;
    /// <summary>Bits a segment keeps of a wide hash.</summary>
    public const int WideValueBits = 64 - StateStore.SegmentBits;
    const int SegmentShift = 64 - StateStore.SegmentBits;

    // Odd multipliers and their inverses (mod 2^64, so mod 2^n too).
    const ulong Odd1 = 0x9E3779B97F4A7C15UL, Odd2 = 0xD6E8FEB86659FD93UL, PairOdd = 0xC2B2AE3D27D4EB4FUL;
    static readonly ulong Inverse1 = Inverse(Odd1), Inverse2 = Inverse(Odd2);

    readonly int _bits;       // n, or 0 for the wide hash
    readonly int _valueBits;  // n - 6
    readonly int _shift;      // (n + 1) / 2: twice it is at least n, so each xor-shift is its own inverse
    readonly ulong _mask;     // 2^n - 1
    readonly ulong _valueMask; // 2^(n - 6) - 1

    StateHash(int bits)
    {
        (_bits, _valueBits, _shift) = (bits, bits - StateStore.SegmentBits, (bits + 1) / 2);
        (_mask, _valueMask) = ((1UL << bits) - 1, (1UL << _valueBits) - 1);
    }

    /// <summary>The hash for a system's states: narrow for one-word states unless hash-compacted (a signature is a wide
    /// hash by definition), wide otherwise.</summary>
    public static StateHash For(int stateBits, bool hashCompact) =>
        stateBits <= StateStore.OneWordBits && !hashCompact ? new StateHash(Math.Max(stateBits, MinNarrowBits)) : default;

    /// <summary>True for a narrow hash.</summary>
    public bool Narrow => _bits != 0;

    /// <summary>Bits a narrow hash spans (n); 64 for a wide one.</summary>
    public int StateBits => Narrow ? _bits : 64;

    /// <summary>The bits of a hash below its segment bits that can be set, all of which a segment keeps.</summary>
    public int ValueBits => Narrow ? _valueBits : WideValueBits;

    /// <summary>A hash no one-word state has, to mark an empty slot of a cache of hashes: narrow hashes never set the
    /// bit below the segment bits (n − 6 ≤ 57); the wide hash of a word with its top bit set is no one-word state's.</summary>
    public ulong NoOneWordState => Narrow ? 1UL << (SegmentShift - 1) : Of(new PackedState(ulong.MaxValue, 0));

    /// <summary>Whether the hash can take <paramref name="s"/>: any state a wide one, a state of at most n bits a
    /// narrow one.</summary>
    public bool Fits(in PackedState s) => !Narrow || !PastNarrowBits(s);

    /// <summary>For a narrow hash: whether <paramref name="s"/> sets a bit above its n bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool PastNarrowBits(in PackedState s) => (s.A & ~_mask | s.B) != 0;

    /// <summary>The hash of <paramref name="s"/>. A narrow hash refuses a state wider than its n bits
    /// (<see cref="Fits"/>): masking the extra bits away would make two states one, and a search would miss states
    /// without a word.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Of(in PackedState s)
    {
        if (!Narrow) return Wide(s);
        if (PastNarrowBits(s)) throw Wider(s);
        ulong h = s.A * Odd1 & _mask;
        h ^= h >> _shift;
        h = h * Odd2 & _mask;
        h ^= h >> _shift;
        return (h >> _valueBits) << SegmentShift | (h & _valueMask);
    }

    /// <summary>The one-word state whose hash is <paramref name="hash"/>: each step undone in turn.</summary>
    public ulong Word(ulong hash)
    {
        if (!Narrow) return Unwide(hash);
        ulong h = (hash >> SegmentShift) << _valueBits | (hash & _valueMask);
        h ^= h >> _shift;
        h = h * Inverse2 & _mask;
        h ^= h >> _shift;
        return h * Inverse1 & _mask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ulong Wide(in PackedState s)
    {
        ulong h = (s.A ^ (s.B * PairOdd)) * Odd1;
        h ^= h >> 32;
        h *= Odd2;
        return h ^ (h >> 29);
    }

    static ulong Unwide(ulong h)
    {
        h ^= h >> 29; h ^= h >> 58;
        h *= Inverse2;
        h ^= h >> 32;
        return h * Inverse1;
    }

    InvalidOperationException Wider(in PackedState s) =>
        new($"the transition system made the state {s}, wider than the {_bits} bits its StateBits allow");

    /// <summary>The inverse of an odd number modulo 2^64, by Newton's iteration (each step doubles the correct bits).</summary>
    internal static ulong Inverse(ulong odd)
    {
        ulong x = odd;
        for (int i = 0; i < 6; i++) x *= 2 - odd * x;
        return x;
    }
}
