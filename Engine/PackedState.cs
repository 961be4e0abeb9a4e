using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>One global state of a transition system, packed into two words (at most 127 bits: the second word's top bit
/// is never set, so a store can tell an empty slot from any state).</summary>
public readonly record struct PackedState(ulong A, ulong B)
{
    public override string ToString() => $"{B:x16}{A:x16}";
}

/// <summary>A field of a <see cref="PackedState"/>: which word, where, how wide. Fields never straddle the two words.</summary>
public readonly record struct BitField(byte Word, byte Shift, byte Width)
{
    ulong Mask => (1UL << Width) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Get(in PackedState s) => Width == 0 ? 0 : (int)(((Word == 0 ? s.A : s.B) >> Shift) & Mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PackedState Set(in PackedState s, int value)
    {
        if (Width == 0) return s;
        ulong m = Mask << Shift, v = ((ulong)value << Shift) & m;
        return Word == 0 ? s with { A = (s.A & ~m) | v } : s with { B = (s.B & ~m) | v };
    }
}

/// <summary>
/// Hands out <see cref="BitField"/>s, first-fit over the two words. The second word keeps its top bit free so a state
/// store can tell an empty slot from any state.
/// </summary>
public sealed class BitLayout
{
    readonly int[] _used = new int[2];
    static readonly int[] Capacity = [64, 63];

    /// <summary>Bits handed out so far: how wide a state of this layout is.</summary>
    public int BitsUsed => _used[0] + _used[1];

    /// <summary>
    /// Contiguous fields of the given widths inside one block of one word, so an actor's whole local state (or a page and
    /// its pin) is one field: <paramref name="block"/> is that field, the result the parts in order.
    /// </summary>
    public BitField[] Group(out BitField block, params int[] widths)
    {
        block = Bits(widths.Sum());
        var parts = new BitField[widths.Length];
        int shift = block.Shift;
        for (int i = 0; i < widths.Length; i++)
        {
            parts[i] = widths[i] == 0 ? default : new BitField(block.Word, (byte)shift, (byte)widths[i]);
            shift += widths[i];
        }
        return parts;
    }

    /// <summary>Bits enough for 0..<paramref name="maxValue"/>.</summary>
    public static int WidthFor(int maxValue) => maxValue <= 0 ? 0 : 32 - int.LeadingZeroCount(maxValue);

    /// <summary>A field of <paramref name="width"/> bits (none for 0); throws <see cref="StateSpaceLimitException"/>
    /// when no word has room.</summary>
    public BitField Bits(int width)
    {
        if (width == 0) return default;
        for (byte w = 0; w < 2; w++)
            if (_used[w] + width <= Capacity[w])
            {
                var f = new BitField(w, (byte)_used[w], (byte)width);
                _used[w] += width;
                return f;
            }
        throw new StateSpaceLimitException(StateSpaceLimit.StateBits, $"a state needs more than {Capacity[0] + Capacity[1]} bits");
    }
}
