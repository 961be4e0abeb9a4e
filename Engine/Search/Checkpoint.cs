using System.Diagnostics;

namespace PageHintVerify.Engine;

/// <summary>
/// Checkpoints of a breadth-first search (TLC's -checkpoint and -recover): at the start of a level the search writes
/// everything a resume needs (<see cref="CheckpointFile"/>; a distributed search, <see cref="Distributed.DistributedCheckpoint"/>)
/// to <see cref="Directory"/>, replacing the last one; with
/// <see cref="Resume"/> it starts from the one there instead of the initial state and finishes with the results of an
/// uninterrupted run.
/// </summary>
/// <param name="Directory">Where the checkpoint file (<see cref="CheckpointFile.Name"/>) is.</param>
/// <param name="Fingerprint">The caller's configuration and program version, opaque to the engine: a checkpoint is
/// resumed only by a search with the same fingerprint (and the same system shape and options, which the engine adds).</param>
public sealed record CheckpointOptions(string Directory, string Fingerprint)
{
    /// <summary>The checkpoint file in <see cref="Directory"/>.</summary>
    public string File => System.IO.Path.Combine(Directory, CheckpointFile.Name);
    /// <summary>The manifest of a distributed search's checkpoint in <see cref="Directory"/>
    /// (<see cref="Distributed.DistributedCheckpoint"/>).</summary>
    public string Manifest => System.IO.Path.Combine(Directory, Distributed.DistributedCheckpoint.ManifestName);

    /// <summary>Start from the checkpoint in <see cref="Directory"/>, then go on writing there.</summary>
    public bool Resume { get; init; }
    /// <summary>Write at most once per interval (the level that ends it is written); zero writes every level. A stop
    /// (cancelled, out of memory) writes the last completed level if it was not written.</summary>
    public TimeSpan Every { get; init; }
    /// <summary>Called after each checkpoint written, with the level it starts at (for tests and progress).</summary>
    public Action<int>? Written { get; init; }
}

/// <summary>A checkpoint that cannot be read or written: the file and, neutrally, the problem.</summary>
public sealed class CheckpointException(string file, string message) : Exception(message)
{
    public string File { get; } = file;
}

/// <summary>A search's counts at the start of a level, as a checkpoint's header holds them.</summary>
class SearchCounts(Dictionary<int, Sighting> sightings)
{
    /// <summary>First sightings of properties in the levels before (and in the initial state).</summary>
    public readonly Dictionary<int, Sighting> Sightings = sightings;
    public int Level, Depth;
    public long Transitions, PeakBytes;
}

/// <summary>Where a search stands at the start of a level: everything a resume needs.</summary>
sealed class SearchPosition(StateStore store, Dictionary<int, Sighting> sightings, PackedState[] frontier) : SearchCounts(sightings)
{
    public readonly StateStore Store = store;
    public PackedState[] Frontier = frontier;
}

/// <summary>When a search writes its checkpoints, as its <see cref="CheckpointOptions"/> ask; <paramref name="write"/>
/// writes the one of a level (one file, or every partition's and then a manifest).</summary>
sealed class CheckpointSaver(CheckpointOptions options, int? resumed, Func<int, Task> write)
{
    readonly Stopwatch _since = Stopwatch.StartNew();

    /// <summary>The level of the checkpoint on disk (resumed or written), or null.</summary>
    public int? Level { get; private set; } = resumed;

    /// <summary>At the start of a level: writes it if it is past the last one and the interval has passed. The
    /// initial level is not worth a file.</summary>
    public async Task Reached(int level)
    {
        if (level > (Level ?? 0) && _since.Elapsed >= options.Every) await Write(level);
    }

    /// <summary>At a stop with the store as it was at the start of <paramref name="level"/>: writes that level if it
    /// is not on disk yet. A failure (the disk, or the memory that stopped the search) keeps the last one.</summary>
    public async Task Stopped(int level)
    {
        if (level <= (Level ?? 0)) return;
        try { await Write(level); }
        catch (Exception e) when (e is CheckpointException or OutOfMemoryException) { }
    }

    async Task Write(int level)
    {
        await write(level);
        Level = level;
        _since.Restart();
        options.Written?.Invoke(level);
    }
}
