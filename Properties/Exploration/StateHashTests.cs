using FsCheck.Xunit;
using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using Xunit;

namespace PageHintVerify.Properties.Exploration;

/// <summary>
/// The search compares one-word states by hash alone in its cache of recent look-ups, which is exact only while the
/// hash is a bijection of the word. Undoing each step of the hash shows it is.
/// </summary>
public class StateHashTests
{
    [Property(MaxTest = 10_000)]
    public void TheHashOfAOneWordStateGivesBackItsWord(ulong word)
    {
        word >>= 1; // a one-word state leaves the top bit free
        Assert.Equal(word, Unhash(StateStore.Hash(new PackedState(word, 0))));
    }

    [Fact]
    public void AStateWithASecondWordIsNotHashedAsItsFirstAlone() =>
        Assert.NotEqual(StateStore.Hash(new PackedState(5, 0)), StateStore.Hash(new PackedState(5, 1)));

    /// <summary>The inverse of <see cref="StateStore.Hash"/> on states whose second word is 0, step by step.</summary>
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
