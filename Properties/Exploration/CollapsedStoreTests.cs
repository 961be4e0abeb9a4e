using FsCheck.Xunit;
using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Exploration;

/// <summary>
/// Two-word states are stored collapsed: each word interned in a <see cref="ComponentTable"/>, the state as one word
/// of two indices. The interner gives one index per distinct value, also when threads intern at once, and the store
/// stays exact: the same states, levels and traces as before, at most 8 bytes a state.
/// </summary>
public class CollapsedStoreTests
{
    [Property]
    public void EqualValuesGetEqualIndicesAndDistinctValuesDistinctOnes(ulong[] values)
    {
        var table = new ComponentTable();
        var index = values.Select(table.Intern).ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], table.Values()[index[i]]);
            for (int j = 0; j < i; j++) Assert.Equal(values[i] == values[j], index[i] == index[j]);
        }
        Assert.Equal(values.Distinct().Count(), table.Count);
    }

    [Fact]
    public void IndicesAreDenseInFirstArrivalOrderAndSurviveGrowth()
    {
        var table = new ComponentTable();
        var values = Enumerable.Range(0, 10_000).Select(i => (ulong)i * 0x9E3779B97F4A7C15UL).Append(0UL).Append(ulong.MaxValue).Distinct().ToArray();
        for (int i = 0; i < values.Length; i++) Assert.Equal(i, table.Intern(values[i]));
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(table.TryFind(values[i], out int found));
            Assert.Equal(i, found);
        }
        Assert.Equal(values, table.Values());
        Assert.False(table.TryFind(12345, out _));
    }

    [Fact]
    public void ThreadsInterningTheSameValuesAtOnceAgreeOnOneIndexEach()
    {
        const int threads = 4, distinct = 200_000;
        var table = new ComponentTable();
        var seen = new int[threads][];
        var start = new Barrier(threads);
        // Every thread interns every value in the same order, from the same moment, so values race between threads
        // and the table is replaced many times while others read it.
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var mine = new int[distinct];
            start.SignalAndWait();
            for (int i = 0; i < distinct; i++) mine[i] = table.Intern(Value(i));
            seen[t] = mine;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        Assert.Equal(distinct, table.Count);
        for (int t = 1; t < threads; t++) Assert.Equal(seen[0], seen[t]);
        Assert.Equal(Enumerable.Range(0, distinct), seen[0].Order());
        var byIndex = table.Values();
        for (int i = 0; i < distinct; i++) Assert.Equal(Value(i), byIndex[seen[0][i]]);

        static ulong Value(int i) => (ulong)i << 40 | (uint)i;
    }

    [Fact]
    public void ACollapsedStoreIsExactOverStatesSharingWords()
    {
        var store = new StateStore(stateBits: 127, hashCompact: false);
        Assert.True(store.Collapsed);
        // 300 × 300 states from 300 distinct words each: states that differ in one word only must stay apart.
        var states = from a in Enumerable.Range(0, 300) from b in Enumerable.Range(0, 300)
                     select new PackedState((ulong)a * 0x1000_0000_0001UL, (ulong)b << 40);
        foreach (var s in states) Assert.True(store.TryAdd(s, store.Hash(s)));
        store.Recount();
        Assert.Equal(90_000, store.Count);
        Assert.Equal(600, store.Components);
        foreach (var s in states)
        {
            Assert.True(store.Contains(s, store.Hash(s)));
            Assert.False(store.TryAdd(s, store.Hash(s)));
        }
        var absent = new PackedState(299 * 0x1000_0000_0001UL, 300UL << 40);
        Assert.False(store.Contains(absent, store.Hash(absent)));
        Assert.False(store.Contains(new PackedState(1, 0), store.Hash(new PackedState(1, 0))));
    }

    [Fact]
    public void OnlyExactTwoWordStoresCollapse()
    {
        Assert.False(new StateStore(stateBits: 63, hashCompact: false).Collapsed);
        Assert.False(new StateStore(stateBits: 127, hashCompact: true).Collapsed);
    }

    [Fact]
    public void TheComponentTablesCountInTheBytesAndInTheBudget()
    {
        var store = new StateStore(stateBits: 127, hashCompact: false);
        long empty = store.Bytes;
        for (ulong a = 0; a < 2_000; a++)
        {
            var s = new PackedState(a, a);
            store.TryAdd(s, store.Hash(s));
        }
        store.Recount();
        // 2,000 states need 64 segments of 64 slots still; all the growth is in the two tables of 2,000 words each.
        Assert.True(store.Bytes >= empty + 2 * 2_000 * 12);
        Assert.True(store.BytesAfterAdding(0) >= store.Bytes);
        Assert.True(store.BytesAfterAdding(10_000) > store.BytesAfterAdding(0));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ThreePagesCasIsCleanAndStoredCollapsedInAtMost8BytesAStateWithTheSameCount()
    {
        var c = Configuration.Standard["three-pages"] with { Granularity = Granularity.Cas };
        var system = new Interleavings(c, Variants.Resolve(c.Variant));
        Assert.False(system.FitsOneWord);
        var r = new PageSearch(system, new SearchOptions { All = true, Threads = 2 }).Run();
        Assert.Empty(r.Violations);
        Assert.True(r.Complete);
        Assert.Equal(15_515_066, r.States);
        Assert.Equal(61_541_968, r.Transitions);
        Assert.InRange(r.StoredBytesPerState, 5, 8);
    }

    [Fact]
    public void ACollapsedSearchFindsTheSameStatesTracesAndBytesOnOneAndTwoThreads()
    {
        var c = new Configuration { Pages = 2, Granularity = Granularity.Naive, Variant = "graph1", HostThreads = 2 };
        var system = new Interleavings(c, Variants.Resolve(c.Variant));
        Assert.False(system.FitsOneWord);
        SearchResult Run(int threads) => new PageSearch(system, new SearchOptions { All = true, Threads = threads }).Run();
        var (one, two) = (Run(1), Run(2));
        Assert.NotEmpty(one.Violations);
        Assert.Equal(one.States, two.States);
        Assert.Equal(one.Depth, two.Depth);
        Assert.Equal(one.StoreBytes, two.StoreBytes);
        Assert.Equal(SearchTests.Describe(one), SearchTests.Describe(two));
    }
}
