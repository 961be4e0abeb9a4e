using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime.Placement;
using PageHintVerify.Engine;
using PageHintVerify.Engine.Distributed;

namespace PageHintVerify.Distributed;

/// <summary>Setting up silos and the coordinator's side of a partitioned search on Orleans.</summary>
public static class Silos
{
    /// <summary>How long a call may take: a partition's expansion of one level is one call, which on a large level
    /// takes far longer than Orleans' default 30 s. A silo that dies is noticed by the cluster's membership instead.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromHours(12);

    /// <summary>Makes a silo host partitions built by <paramref name="factory"/>, placed by <see cref="PartitionPlacement"/>.</summary>
    public static ISiloBuilder AddPartitions(this ISiloBuilder silo, PartitionWorkerFactory factory)
    {
        silo.Services.AddSingleton(factory);
        silo.Services.AddPlacementDirector<PartitionPlacement, PartitionPlacementDirector>();
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
        return silo;
    }

    /// <summary>Makes a client wait as long as a level takes (<see cref="ResponseTimeout"/>).</summary>
    public static IClientBuilder ForPartitions(this IClientBuilder client) =>
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);

    const string ClusterId = "pagehint";

    /// <summary>
    /// A silo hosting partitions, advertised at <paramref name="address"/> on <paramref name="siloPort"/> (silo to silo)
    /// and <paramref name="gatewayPort"/> (clients), listening on every interface. Membership is Orleans' development
    /// clustering: the silo at <paramref name="primary"/> (this one when null) keeps the list of silos, so the others
    /// and the clients need only its address (static clustering; the README says how to use ADO.NET instead).
    /// </summary>
    public static IHost Silo(IPAddress address, int siloPort, int gatewayPort, IPEndPoint? primary, PartitionWorkerFactory factory) =>
        new HostBuilder().UseOrleans(silo => silo
            .UseDevelopmentClustering(primary ?? new IPEndPoint(address, siloPort))
            .ConfigureEndpoints(address, siloPort, gatewayPort, listenOnAnyHostAddress: true)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId))
            .AddPartitions(factory)).Build();

    /// <summary>A started client of the cluster whose silos have the gateways <paramref name="gateways"/>; it waits
    /// until <paramref name="silos"/> silos are active (at least one when 0), so that the partitions spread over all.</summary>
    public static async Task<IHost> Client(IPEndPoint[] gateways, int silos, TimeSpan patience)
    {
        var host = new HostBuilder().UseOrleansClient(client => client
            .UseStaticClustering(gateways)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, ClusterId))
            .ForPartitions()).Build();
        using var cancel = new CancellationTokenSource(patience);
        await host.StartAsync(cancel.Token);
        var management = host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        while ((await management.GetHosts(onlyActive: true)).Count < Math.Max(1, silos))
            await Task.Delay(200, cancel.Token);
        return host;
    }

    /// <summary>Starts <paramref name="partitions"/> partitions of a new search described by <paramref name="spec"/>
    /// (one per silo in turn) and returns handles on them for <see cref="DistributedSearch{TSystem, TStep}"/>.</summary>
    public static async Task<GrainHandle[]> StartPartitions(IGrainFactory grains, string spec, int partitions)
    {
        string search = Guid.NewGuid().ToString("N");
        var grainsOf = Enumerable.Range(0, partitions).Select(i => grains.GetGrain<IPartitionGrain>($"{search}/{i}")).ToArray();
        var silos = await Task.WhenAll(grainsOf.Select(g => g.Start(spec, partitions)));
        return [.. grainsOf.Select((g, i) => new GrainHandle(g, i, silos[i]))];
    }
}

/// <summary>A partition grain as the coordinator sees it. A call that fails for any reason but memory means the
/// partition's silo is gone (or unreachable): <see cref="PartitionLostException"/>, naming the silo.</summary>
public sealed class GrainHandle(IPartitionGrain grain, int index, string silo) : IPartitionHandle
{
    /// <summary>The silo the partition lives on.</summary>
    public string Silo => silo;

    /// <summary>The level being explored (0 before the first): where a search stopped by a lost silo was.</summary>
    public int Exploring { get; private set; }

    /// <summary>The peak resident memory of the silo's process, as of the last level the partition expanded.</summary>
    public long SiloPeakBytes { get; private set; }

    async Task<T> Call<T>(Func<Task<T>> call, string doing)
    {
        try { return await call(); }
        catch (Exception e) when (e is not OutOfMemoryException and not PartitionLostException)
        {
            throw new PartitionLostException(index, silo, doing, e);
        }
    }

    Task Call(Func<Task> call, string doing) => Call(async () => { await call(); return true; }, doing);

    public Task Reset(bool keepLevels) => Call(() => grain.Reset(keepLevels), "starting");
    public Task Seed(PackedState initial) => Call(() => grain.Seed(initial.A, initial.B), "starting");

    public Task<LevelExpansion> Expand(int level, int seen, CancellationToken cancellation)
    {
        Exploring = level + 1;
        return Call(async () =>
        {
            var e = await grain.Expand(level, seen);
            SiloPeakBytes = Math.Max(SiloPeakBytes, e.SiloPeakBytes);
            return new LevelExpansion(e.Transitions, e.Sightings, e.PeakBytes, e.Sent);
        }, $"exploring level {level + 1}");
    }

    public Task<(long Added, long StoreBytes)> Merge() => Call(grain.Merge, "merging a level");
    public Task Number() => Call(grain.Number, "numbering a level");

    public async Task Save(string directory, string fingerprint, int level, int? keep) =>
        (await Call(() => grain.Save(directory, fingerprint, level, keep), $"writing the checkpoint of level {level}")).Checked();

    public async Task<(long States, long Frontier, long StoreBytes)> Load(string directory, string fingerprint, int level) =>
        (await Call(() => grain.Load(directory, fingerprint, level), $"reading the checkpoint of level {level}")).Checked() is var l
            ? (l.States, l.Frontier, l.StoreBytes) : default;

    public Task<(PackedState[] States, long[] Indices)> Level(int level) =>
        Call(async () => await grain.Level(level) is var l ? (Wire.States(l.Words), l.Indices) : default, $"reading level {level}");

    public Task<PackedState?> StateAt(int level, long index) =>
        Call(async () => await grain.StateAt(level, index) is { Index: >= 0 } f ? new PackedState(f.A, f.B) : (PackedState?)null, "rebuilding a trace");

    public Task<(long Index, PackedState State)?> FirstLeadingTo(int level, PackedState target) =>
        Call(async () => await grain.FirstLeadingTo(level, target.A, target.B) is { Index: >= 0 } f ? (f.Index, new PackedState(f.A, f.B)) : ((long, PackedState)?)null,
            "rebuilding a trace");
}

/// <summary>A partition's silo stopped answering: the search cannot go on.</summary>
public sealed class PartitionLostException(int partition, string silo, string doing, Exception inner)
    : Exception($"silo {silo} (partition {partition}) stopped answering while {doing}: {inner.GetType().Name}", inner)
{
    public string Silo => silo;
}
