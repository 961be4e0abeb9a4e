using System.Text;
using System.Text.Json;
using PageHintVerify.Engine.Distributed;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The page-hinting search split over partitions that may live in other processes: the one string a partition needs
/// to rebuild the search (the configuration and the options that change what is stored), and the partition built from
/// it. A transport (in process, or Orleans silos) carries the string and calls <see cref="Worker"/> where the partition
/// lives, so the transport knows nothing of page hinting.
/// </summary>
public static class PartitionedPageSearch
{
    /// <summary>What a partition needs to know of a search, as JSON.</summary>
    public static string Spec(Configuration config, SearchOptions options)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("configuration");
            config.WriteJson(w);
            w.WriteBoolean("symmetry", options.Symmetry);
            w.WriteBoolean("hashCompact", options.HashCompact);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Partition <paramref name="index"/> of <paramref name="partitions"/> of the search <paramref name="spec"/> describes.</summary>
    public static IPartitionWorker Worker(string spec, int index, int partitions)
    {
        var root = JsonInput.Parse("partition spec", spec, lenient: false);
        var config = Configuration.FromJson(root.GetProperty("configuration"), "partition spec");
        var options = new SearchOptions
        {
            Symmetry = root.GetProperty("symmetry").GetBoolean(),
            HashCompact = root.GetProperty("hashCompact").GetBoolean(),
        };
        var system = new PageSystem(new Interleavings(config, Variants.Resolve(config.Variant)));
        return new Partition<PageSystem, Step>(system, options, index, partitions);
    }
}
