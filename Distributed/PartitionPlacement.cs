using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace PageHintVerify.Distributed;

/// <summary>Places partition i of a search on the i-th silo (mod the silos), ordered by address, so every silo holds
/// its share; Orleans' default placement is random and leaves some silos two partitions and others none.</summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class PartitionPlacement : PlacementStrategy
{
    internal static readonly PartitionPlacement Instance = new();

    /// <summary>The partition index in a grain key <c>search/index</c>.</summary>
    public static int IndexOf(string key) => int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Marks a grain class placed by <see cref="PartitionPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PartitionPlacementAttribute() : PlacementAttribute(PartitionPlacement.Instance);

sealed class PartitionPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();
        return Task.FromResult(silos[PartitionPlacement.IndexOf(target.GrainIdentity.Key.ToString()!) % silos.Length]);
    }
}
