using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// <c>check --checkpoint DIR</c>, <c>--checkpoint-every SECS</c> and <c>--resume DIR</c>: the engine's checkpoints
/// (<see cref="CheckpointOptions"/>), with a fingerprint of the configuration and of this very program, so a checkpoint
/// is resumed only by the same search of the same build.
/// </summary>
public static class Checkpoints
{
    /// <summary>The checkpoint options the arguments ask for, or null; refuses contradictions and a
    /// <c>--checkpoint</c> directory that holds a checkpoint already (which only <c>--resume</c> may go on from).</summary>
    public static CheckpointOptions? Options(Arguments args, Configuration config)
    {
        string? write = args.Text("--checkpoint"), resume = args.Text("--resume");
        int? every = args.Int("--checkpoint-every", 0, int.MaxValue);
        if (write is not null && resume is not null)
            throw new UsageException("give --checkpoint or --resume, not both (--resume DIR goes on writing checkpoints to DIR)");
        if (write is null && resume is null)
            return every is null ? null : throw new UsageException("--checkpoint-every needs --checkpoint DIR or --resume DIR");
        string dir = (write ?? resume)!;
        var options = new CheckpointOptions(dir, Fingerprint(config))
        {
            Resume = resume is not null,
            Every = TimeSpan.FromSeconds(every ?? 0),
        };
        if (write is not null) Prepare(options);
        return options;
    }

    /// <summary>Creates the directory; refuses one that holds a checkpoint, which a new search would overwrite.</summary>
    static void Prepare(CheckpointOptions options)
    {
        foreach (var file in new[] { options.File, options.Manifest })
            if (File.Exists(file))
                throw new InputException(file, $"a checkpoint is here already: go on from it with --resume {options.Directory}, or remove it");
        try { Directory.CreateDirectory(options.Directory); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InputException(options.Directory, $"cannot create the checkpoint directory: {e.Message}");
        }
    }

    /// <summary>
    /// What a checkpoint must match besides the engine's own options: this build (the tool's version and the identity
    /// of the assemblies that define the states, which a deterministic build keeps for the same source) and every
    /// field of the configuration, with the digraph a graph variant is read from.
    /// </summary>
    public static string Fingerprint(Configuration config)
    {
        var build = string.Concat(new[] { typeof(Checkpoints), typeof(Model.Protocol), typeof(PackedState) }
            .Select(t => t.Assembly.ManifestModule.ModuleVersionId.ToString("N")));
        var json = new MemoryStream();
        using (var w = new Utf8JsonWriter(json)) config.WriteJson(w);
        var graph = Model.Variants.GraphText(config.Variant);
        return $"pagehint {JsonReport.ToolVersion} (build {Hex(build)}), configuration {Encoding.UTF8.GetString(json.ToArray())}" +
            (graph is null ? "" : $", digraph {Hex(graph)}");
    }

    static string Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>The end of a stopped search's line: how to go on, or that there is no checkpoint to go on from.</summary>
    public static string HowToResume(CheckpointOptions? options, int? level) =>
        options is null ? ""
        : level is { } l ? $"; the checkpoint in {options.Directory} holds level {l}: run the same command with {(options.Resume ? "" : "--checkpoint replaced by ")}--resume {options.Directory} to go on"
        : $"; no checkpoint was written to {options.Directory} before the stop";
}
