using PageHintVerify.Engine;
using PageHintVerify.Engine.Distributed;

namespace PageHintVerify.EngineTests;

/// <summary>The partitioned search (in process) against the single-process search: the same results for any number of
/// partitions.</summary>
public class DistributedSearchTests
{
    static SearchOptions Options(bool all, bool symmetry = false, bool compact = false) =>
        new() { All = all, Threads = 2, Symmetry = symmetry, HashCompact = compact };

    /// <summary>Everything a search reports that must not depend on how it ran: counts, verdict, and each violation's
    /// trace with every state on it.</summary>
    public static string Outcome(SearchReport<string> r) =>
        $"{r.States} states, {r.Transitions} transitions, depth {r.Depth}, complete {r.Complete}, stopped {r.StoppedBecause}, " +
        $"omission {r.OmissionProbability}\n" +
        string.Join("\n", r.Violations.Select(v => $"{v.Property}: " + string.Join(" ", v.Trace.Select(t => $"{t.Step}={t.State}"))));

    static async Task SameAsOneProcess<TSystem>(TSystem system, SearchOptions options) where TSystem : ITransitionSystem<string>
    {
        string expected = Outcome(new BreadthFirstSearch<TSystem, string>(system, options).Run());
        // New tags in one piece, and in pages of 3 (a network transport's paging).
        foreach (int partitions in new[] { 1, 2, 3, 4 })
            foreach (int tagPage in new[] { int.MaxValue, 3 })
                Assert.Equal(expected, Outcome(await InProcessCluster.Search<TSystem, string>(system, options, partitions, tagPage).RunAsync()));
    }

    [Theory]
    [InlineData(false, false, false, false)]
    [InlineData(true, false, false, false)]
    [InlineData(true, true, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(true, false, true, false)]
    [InlineData(true, true, true, false)]
    [InlineData(true, false, false, true)]
    [InlineData(true, true, true, true)]
    public Task AScrambledGraphGivesTheSameResultsOnOneToFourPartitions(bool all, bool symmetry, bool twoWords, bool compact) =>
        SameAsOneProcess(new Scrambled(30_000, 3, twoWords), Options(all, symmetry, compact));

    [Theory]
    [InlineData(0, false)]
    [InlineData(60, false)]
    [InlineData(0, true)]
    public Task CountersGiveTheSameResultsOnOneToFourPartitions(int padding, bool all) =>
        SameAsOneProcess(new Counters(4, 9, alarm: 3, padding), Options(all));

    [Fact]
    public async Task TheMutexesGiveTheSameResultsOnOneToFourPartitions()
    {
        await SameAsOneProcess(new CheckThenSet(), Options(all: false));
        await SameAsOneProcess(new Peterson(), Options(all: true));
        await SameAsOneProcess(new SymmetricCheckThenSet(), Options(all: true, symmetry: true));
    }

    [Fact]
    public async Task EachLevelIsInTheOrderTheSingleProcessSearchFindsIt()
    {
        var system = new Scrambled(30_000, 3);
        var options = Options(all: true);
        var one = new BreadthFirstSearch<Scrambled, string>(system, options).ReachableLevels(long.MaxValue)!;
        var four = await InProcessCluster.Search<Scrambled, string>(system, options, 4).ReachableLevelsAsync();
        Assert.Equal(one.Count, four.Count);
        for (int l = 0; l < one.Count; l++) Assert.Equal(one[l], four[l]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task WhatPartitionsOwnAndSendIsCounted(int partitions)
    {
        var system = new Scrambled(30_000, 3);
        var options = Options(all: true);
        var levels = new BreadthFirstSearch<Scrambled, string>(system, options).ReachableLevels(long.MaxValue)!;
        var hashing = StateHash.For(system.StateBits, options.HashCompact);
        var owners = levels.SelectMany(l => l).Select(s => Partition<Scrambled, string>.OwnerOf(hashing.Of(s), partitions)).ToList();
        var r = await InProcessCluster.Search<Scrambled, string>(system, options, partitions).RunAsync();
        var cost = r.Distribution!;
        Assert.Equal(Enumerable.Range(0, partitions).Select(p => (long)owners.Count(o => o == p)), cost.StatesPerPartition);
        Assert.Equal((r.States - 1) * (partitions - 1), cost.TagsSent);
        // A state none of whose predecessors shares its owner was sent to it at least once.
        var owner = levels.SelectMany(l => l).Zip(owners).ToDictionary(x => x.First, x => x.Second);
        var local = new HashSet<PackedState> { levels[0][0] };
        var successors = new Expansion();
        foreach (var s in owner.Keys)
        {
            ((ITransitionSystem<string>)system).Expand(s, successors);
            for (int k = 0; k < successors.Count; k++)
                if (owner[successors.States[k]] == owner[s]) local.Add(successors.States[k]);
        }
        if (partitions == 1) Assert.Equal(0, cost.CandidatesSent);
        else Assert.InRange(cost.CandidatesSent, owner.Count - local.Count, r.Transitions);
        Assert.Equal(cost.CandidatesSent * 24 + cost.TagsSent * 8, cost.PayloadBytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PartitionsStoreTheirStatesInAboutTheRoomOfOneProcess(bool twoWords)
    {
        // The owner must not be picked by bits the store places states by: each partition's states would crowd a
        // quarter of its table's homes, and the table would grow to hold them. Without crowding a partition still
        // stores a little more a state: its segments hold a quarter of the states, so their slots keep two bits more
        // (fewer bits are implied by a home) and their tables are smaller beside the run-off past the last home.
        var system = new Scrambled(300_000, 3, twoWords);
        var options = Options(all: true);
        long one = new BreadthFirstSearch<Scrambled, string>(system, options).Run().StoreBytes;
        long four = (await InProcessCluster.Search<Scrambled, string>(system, options, 4).RunAsync()).StoreBytes;
        Assert.True(four <= one * 3 / 2, $"4 partitions store {four:N0} bytes, one process {one:N0}");
    }

    [Theory]
    [InlineData(12)]
    [InlineData(63)]
    [InlineData(127)]
    public void EveryPartitionOwnsAShareOfTheStates(int stateBits)
    {
        var hashing = StateHash.For(stateBits, hashCompact: false);
        var owned = new int[4];
        for (ulong x = 0; x < 4000; x++) owned[Partition<Scrambled, string>.OwnerOf(hashing.Of(new PackedState(x, 0)), 4)]++;
        Assert.All(owned, n => Assert.InRange(n, 800, 1200));
    }
}
