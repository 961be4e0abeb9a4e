using PageHintVerify.Engine;
using Xunit;

namespace PageHintVerify.Properties.Exploration;

/// <summary>
/// The visited set keeps only the bits of a state its slot's place does not imply, so it must give every state back
/// exactly: one-word states through the hash's inverse, collapsed ones through the pair's scramble, across the
/// doublings, the eighth-steps and a cluster too long for a slot's distance field.
/// </summary>
public class QuotientStoreTests
{
    static PackedState[] OneWordStates(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new PackedState((ulong)random.NextInt64() >> 1, 0)).Distinct().ToArray();
    }

    static void AssertHoldsExactly(StateStore store, PackedState[] states, PackedState[] absent)
    {
        store.Recount();
        Assert.Equal(states.Length, store.Count);
        foreach (var s in states)
        {
            Assert.True(store.Contains(s, store.Hash(s)));
            Assert.False(store.TryAdd(s, store.Hash(s)));
        }
        foreach (var s in absent.Except(states)) Assert.False(store.Contains(s, store.Hash(s)));
        Assert.Equal(states.OrderBy(s => s.B).ThenBy(s => s.A), store.States().OrderBy(s => s.B).ThenBy(s => s.A));
    }

    [Fact]
    public void AOneWordStoreGivesBackEveryStateItWasGiven()
    {
        var store = new StateStore(stateBits: 63, hashCompact: false);
        var states = OneWordStates(400_000, 1);
        foreach (var s in states) Assert.True(store.TryAdd(s, store.Hash(s)));
        AssertHoldsExactly(store, states, OneWordStates(10_000, 2));
    }

    [Fact]
    public void ACollapsedStoreGivesBackEveryStateItWasGiven()
    {
        var store = new StateStore(stateBits: 127, hashCompact: false);
        var states = (from a in Enumerable.Range(0, 500) from b in Enumerable.Range(0, 400)
                      select new PackedState((ulong)a * 0x1000_0000_0001UL, (ulong)b << 40 | 7)).ToArray();
        foreach (var s in states) Assert.True(store.TryAdd(s, store.Hash(s)));
        AssertHoldsExactly(store, states, [new PackedState(3, 7), new PackedState(0x1000_0000_0001UL, 400UL << 40 | 7)]);
    }

    [Fact]
    public void StatesSharingTheirHashesTopBitsOverflowTheDistanceFieldAndStayExact()
    {
        // 600 hashes alike in their top 18 bits (the segment's six, then the value's twelve: a narrow hash of 63 bits
        // keeps 57 value bits) share one home until a segment passes 2^12 homes: a cluster longer than a slot's
        // distance field can say, so the table must grow early and place what the overflow left out.
        var store = new StateStore(stateBits: 63, hashCompact: false);
        var random = new Random(3);
        var states = Enumerable.Range(0, 600)
            .Select(_ => new PackedState(store.Hashing.Word(0x2BUL << 58 | 0xBCDUL << 45 | ((ulong)random.NextInt64() & ((1UL << 45) - 1))), 0))
            .Distinct().ToArray();
        foreach (var s in states) Assert.True(store.TryAdd(s, store.Hash(s)));
        AssertHoldsExactly(store, states, OneWordStates(1_000, 4));
    }

    /// <summary>A one-word store keeps n − 6 bits of a state of n bits: at two million states of 63 bits at most eight
    /// bytes a state, of 36 bits (two pages of <c>any</c>) at most four.</summary>
    [Theory]
    [InlineData(63, 5.0, 8.0)]
    [InlineData(36, 2.5, 4.0)]
    public void AtTwoMillionStatesAOneWordStoreHoldsFewBytesAState(int stateBits, double least, double most)
    {
        var store = new StateStore(stateBits, hashCompact: false);
        var states = OneWordStates(2_000_000, 5).Select(s => s with { A = s.A >> (63 - stateBits) }).Distinct().ToArray();
        foreach (var s in states) store.TryAdd(s, store.Hash(s));
        AssertHoldsExactly(store, states, OneWordStates(1_000, 6).Select(s => s with { A = s.A >> (63 - stateBits) }).ToArray());
        Assert.InRange((double)store.Bytes / store.Count, least, most);
        Assert.Equal(store.Bytes, store.BytesAfterAdding(0));
    }

    [Fact]
    public void AHashCompactedStoreCountsSignaturesAndKeepsNoStates()
    {
        var store = new StateStore(stateBits: 127, hashCompact: true);
        var states = OneWordStates(50_000, 6);
        foreach (var s in states) Assert.True(store.TryAdd(s, store.Hash(s)));
        store.Recount();
        Assert.Equal(states.Length, store.Count);
        Assert.All(states, s => Assert.True(store.Contains(s, store.Hash(s))));
        Assert.Throws<InvalidOperationException>(() => store.States().First());
    }
}
