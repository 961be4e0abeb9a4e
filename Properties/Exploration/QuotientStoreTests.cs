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
            Assert.True(store.Contains(s, StateStore.Hash(s)));
            Assert.False(store.TryAdd(s, StateStore.Hash(s)));
        }
        foreach (var s in absent.Except(states)) Assert.False(store.Contains(s, StateStore.Hash(s)));
        Assert.Equal(states.OrderBy(s => s.B).ThenBy(s => s.A), store.States().OrderBy(s => s.B).ThenBy(s => s.A));
    }

    [Fact]
    public void AOneWordStoreGivesBackEveryStateItWasGiven()
    {
        var store = new StateStore(oneWordStates: true, hashCompact: false);
        var states = OneWordStates(400_000, 1);
        foreach (var s in states) Assert.True(store.TryAdd(s, StateStore.Hash(s)));
        AssertHoldsExactly(store, states, OneWordStates(10_000, 2));
    }

    [Fact]
    public void ACollapsedStoreGivesBackEveryStateItWasGiven()
    {
        var store = new StateStore(oneWordStates: false, hashCompact: false);
        var states = (from a in Enumerable.Range(0, 500) from b in Enumerable.Range(0, 400)
                      select new PackedState((ulong)a * 0x1000_0000_0001UL, (ulong)b << 40 | 7)).ToArray();
        foreach (var s in states) Assert.True(store.TryAdd(s, StateStore.Hash(s)));
        AssertHoldsExactly(store, states, [new PackedState(3, 7), new PackedState(0x1000_0000_0001UL, 400UL << 40 | 7)]);
    }

    [Fact]
    public void StatesSharingTheirHashesTopBitsOverflowTheDistanceFieldAndStayExact()
    {
        // 600 hashes alike in their top 18 bits share one home until a segment passes 2^12 homes: a cluster longer than
        // a slot's distance field can say, so the table must grow early and place what the overflow left out.
        var random = new Random(3);
        var states = Enumerable.Range(0, 600)
            .Select(_ => new PackedState(Unhash(0xABCDUL << 46 | ((ulong)random.NextInt64() & ((1UL << 46) - 1))), 0))
            .Distinct().ToArray();
        var store = new StateStore(oneWordStates: true, hashCompact: false);
        foreach (var s in states) Assert.True(store.TryAdd(s, StateStore.Hash(s)));
        AssertHoldsExactly(store, states, OneWordStates(1_000, 4));
    }

    [Fact]
    public void AtTwoMillionStatesAOneWordStoreHoldsAtMostEightBytesAState()
    {
        var store = new StateStore(oneWordStates: true, hashCompact: false);
        var states = OneWordStates(2_000_000, 5);
        foreach (var s in states) store.TryAdd(s, StateStore.Hash(s));
        store.Recount();
        Assert.InRange((double)store.Bytes / store.Count, 5, 8);
        Assert.Equal(store.Bytes, store.BytesAfterAdding(0));
    }

    [Fact]
    public void AHashCompactedStoreCountsSignaturesAndKeepsNoStates()
    {
        var store = new StateStore(oneWordStates: false, hashCompact: true);
        var states = OneWordStates(50_000, 6);
        foreach (var s in states) Assert.True(store.TryAdd(s, StateStore.Hash(s)));
        store.Recount();
        Assert.Equal(states.Length, store.Count);
        Assert.All(states, s => Assert.True(store.Contains(s, StateStore.Hash(s))));
        Assert.Throws<InvalidOperationException>(() => store.States().First());
    }

    /// <summary>The inverse of <see cref="StateStore.Hash"/> on one-word states.</summary>
    static ulong Unhash(ulong h)
    {
        h ^= h >> 29; h ^= h >> 58;
        h *= Inverse(0xD6E8FEB86659FD93UL);
        h ^= h >> 32;
        return h * Inverse(0x9E3779B97F4A7C15UL);
    }

    static ulong Inverse(ulong odd)
    {
        ulong x = odd;
        for (int i = 0; i < 6; i++) x *= 2 - odd * x;
        return x;
    }
}
