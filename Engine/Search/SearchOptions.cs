namespace PageHintVerify.Engine;

/// <summary>How a run is done; none of it changes what is found.</summary>
public sealed record SearchOptions
{
    /// <summary>Explore everything and report the shortest trace of every violated property, instead of stopping at the first.</summary>
    public bool All { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>
    /// Stops the search between chunks of a level once cancelled; the result then has the statistics of the levels
    /// completed, and the violations their expansion found. A search also stops so, rather than fail, when an
    /// allocation would pass the heap's limit (<see cref="OutOfMemoryException"/>), which is how a memory budget
    /// (a GC heap hard limit) ends it.
    /// </summary>
    public CancellationToken Cancellation { get; init; }
    /// <summary>Where progress lines go, one per <see cref="ProgressInterval"/>; null for none.</summary>
    public TextWriter? Progress { get; init; }
    /// <summary>How often a progress line is written.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Store one representative per symmetry orbit (<see cref="ITransitionSystem{TStep}.Canonical"/>).</summary>
    public bool Symmetry { get; init; }
    /// <summary>Store 64-bit hash signatures instead of states: less memory, a small chance of missing states.</summary>
    public bool HashCompact { get; init; }
    /// <summary>Write checkpoints at the start of levels, or resume from one; null for neither.</summary>
    public CheckpointOptions? Checkpoint { get; init; }
}
