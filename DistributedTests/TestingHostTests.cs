using Orleans.TestingHost;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Distributed;
using PageHintVerify.Engine;
using PageHintVerify.Model;

namespace PageHintVerify.DistributedTests;

/// <summary>Three silos in process (Orleans' TestingHost), shared by the tests of this class.</summary>
public sealed class ThreeSilos : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    sealed class Silo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) => silo.AddPartitions(PartitionedPageSearch.Worker);
    }

    sealed class Client : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) => client.ForPartitions();
    }

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<Silo>();
        builder.AddClientBuilderConfigurator<Client>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The partitioned page-hinting search on three in-process silos gives the single-process results.</summary>
public class TestingHostTests(ThreeSilos silos) : IClassFixture<ThreeSilos>
{
    static async Task SameAsOneProcess(ThreeSilos silos, Configuration config, SearchOptions options, int partitions)
    {
        var search = new PageSearch(new Interleavings(config, Variants.Resolve(config.Variant)), options);
        var one = search.Run();
        var handles = await Silos.StartPartitions(silos.Cluster.Client, PartitionedPageSearch.Spec(config, options), partitions);
        Assert.Equal(Math.Min(partitions, 3), handles.Select(h => h.Silo).Distinct().Count());
        var distributed = await search.RunAsync(handles);
        Assert.Equal(InProcessPageTests.Outcome(one), InProcessPageTests.Outcome(distributed));
        if (one.Violations.Count > 0) Assert.Equal(InProcessPageTests.Saved(config, one), InProcessPageTests.Saved(config, distributed));
    }

    [Fact]
    public Task TheTwoPageCasConfigurationOnThreeSilosGivesTheSingleProcessCounts() =>
        SameAsOneProcess(silos, Configuration.Standard["two-pages"] with { Granularity = Granularity.Cas }, new SearchOptions { All = true, Threads = 1 }, 3);

    [Fact]
    public Task TheTwoPageNaiveViolationsOnFourPartitionsOverThreeSilosGiveTheSingleProcessTraces() =>
        SameAsOneProcess(silos, new Configuration { Pages = 2, Granularity = Granularity.Naive }, new SearchOptions { All = true, Symmetry = true, Threads = 1 }, 4);
}
