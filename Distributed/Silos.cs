using Microsoft.Extensions.DependencyInjection;
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

    public Task<LevelExpansion> Expand(int level, int seen, CancellationToken cancellation) =>
        Call(async () => await grain.Expand(level, seen) is var e ? new LevelExpansion(e.Transitions, e.Sightings, e.PeakBytes) : null!,
            $"exploring level {level + 1}");

    public Task<(long Added, long StoreBytes)> Merge() => Call(grain.Merge, "merging a level");
    public Task Number() => Call(grain.Number, "numbering a level");

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
