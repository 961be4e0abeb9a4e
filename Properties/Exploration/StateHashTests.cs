using FsCheck.Xunit;
using PageHintVerify.Engine;
using Xunit;

namespace PageHintVerify.Properties.Exploration;

/// <summary>
/// The search compares one-word states by hash alone in its cache of recent look-ups, and the store keeps a one-word
/// state's hash for the state: both are exact only while the hash is a bijection of the state. Undoing the hash shows
/// it is: the wide hash step by step here, the narrow one through its own inverse, over every width.
/// </summary>
public class StateHashTests
{
    [Property(MaxTest = 10_000)]
    public void TheWideHashOfAOneWordStateGivesBackItsWord(ulong word)
    {
        word >>= 1; // a one-word state leaves the top bit free
        var wide = StateHash.For(StateStore.OneWordBits, hashCompact: true);
        Assert.False(wide.Narrow);
        Assert.Equal(word, Unhash(wide.Of(new PackedState(word, 0))));
        Assert.Equal(word, wide.Word(wide.Of(new PackedState(word, 0))));
    }

    /// <summary>For every width from 1 to 63 bits: the hash gives the state back, sets no bit between its segment bits
    /// and its value bits (so a segment keeps n − 6 bits), and never equals the mark of an empty cache slot.</summary>
    [Property(MaxTest = 10_000)]
    public void TheNarrowHashOfAStateOfItsWidthGivesBackItsWord(ulong word, byte width)
    {
        int bits = width % 63 + 1;
        word &= (1UL << bits) - 1;
        var narrow = StateHash.For(bits, hashCompact: false);
        Assert.True(narrow.Narrow);
        Assert.Equal(Math.Max(bits, StateHash.MinNarrowBits), narrow.StateBits);
        ulong h = narrow.Of(new PackedState(word, 0));
        Assert.Equal(word, narrow.Word(h));
        Assert.Equal(0UL, h << StateStore.SegmentBits >> StateStore.SegmentBits >> narrow.ValueBits);
        Assert.NotEqual(narrow.NoOneWordState, h);
    }

    [Fact]
    public void NarrowHashesOfNeighbouringStatesSpreadOverTheSegments()
    {
        var narrow = StateHash.For(36, hashCompact: false);
        var segments = Enumerable.Range(0, 64_000).Select(i => StateStore.SegmentOf(narrow.Of(new PackedState((ulong)i, 0))))
            .CountBy(s => s).ToDictionary();
        Assert.Equal(StateStore.Segments, segments.Count);
        Assert.InRange(segments.Values.Min(), 800, 1200);
    }

    [Fact]
    public void ANarrowHashRefusesAStateWiderThanItsBits()
    {
        var narrow = StateHash.For(40, hashCompact: false);
        Assert.True(narrow.Fits(new PackedState((1UL << 40) - 1, 0)));
        Assert.False(narrow.Fits(new PackedState(1UL << 40, 0)));
        Assert.False(narrow.Fits(new PackedState(0, 1)));
        Assert.Throws<InvalidOperationException>(() => narrow.Of(new PackedState(1UL << 40, 0)));
        Assert.Throws<InvalidOperationException>(() => narrow.Of(new PackedState(0, 1)));
    }

    [Fact]
    public void AStateWithASecondWordIsNotHashedAsItsFirstAlone()
    {
        var wide = StateHash.For(100, hashCompact: false);
        Assert.NotEqual(wide.Of(new PackedState(5, 0)), wide.Of(new PackedState(5, 1)));
    }

    /// <summary>The inverse of the wide hash on states whose second word is 0, step by step.</summary>
    static ulong Unhash(ulong h)
    {
        h ^= h >> 29; h ^= h >> 58;                // undo h ^= h >> 29
        h *= Inverse(0xD6E8FEB86659FD93UL);        // undo the second multiply
        h ^= h >> 32;                              // undo h ^= h >> 32
        return h * Inverse(0x9E3779B97F4A7C15UL);  // undo the first multiply
    }

    /// <summary>The inverse of an odd number modulo 2^64, by Newton's iteration (each step doubles the correct bits).</summary>
    static ulong Inverse(ulong odd)
    {
        ulong x = odd;
        for (int i = 0; i < 6; i++) x *= 2 - odd * x;
        return x;
    }
}
