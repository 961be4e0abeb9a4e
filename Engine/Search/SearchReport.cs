namespace PageHintVerify.Engine;

/// <summary>A violated property (its index in <see cref="ITransitionSystem{TStep}.Properties"/>) with the shortest
/// trace from the initial state that violates it: each step with the state after it; empty when the initial state does.</summary>
public sealed record PropertyViolation<TStep>(int Property, IReadOnlyList<Transition<TStep>> Trace);

/// <summary>What a breadth-first search found and what it cost.</summary>
/// <param name="Violations">By property index; the first sighting only unless <see cref="SearchOptions.All"/>.</param>
/// <param name="Complete">Every reachable state was explored (or none needed to be: a violation was the goal).</param>
/// <param name="StoppedBecause">Why the search stopped early (cancelled, out of memory), or null.</param>
public sealed record SearchReport<TStep>(
    long States, long Transitions, int Depth, TimeSpan Elapsed, long PeakBytes, int Threads,
    IReadOnlyList<PropertyViolation<TStep>> Violations, bool Complete, string? StoppedBecause)
{
    /// <summary>Bytes the visited set holds at the end.</summary>
    public long StoreBytes { get; init; }
    /// <summary>With hash compaction, the chance that a state was wrongly taken as visited; else 0.</summary>
    public double OmissionProbability { get; init; }
    /// <summary>Whether states were reduced to one per symmetry orbit.</summary>
    public bool Symmetry { get; init; }
    /// <summary>The level whose checkpoint the search resumed from, or null.</summary>
    public int? ResumedLevel { get; init; }
    /// <summary>The level whose checkpoint is on disk at the end (a resume starts there), or null.</summary>
    public int? CheckpointLevel { get; init; }
    /// <summary>Of a distributed search: how its states spread over the partitions and what they sent; else null.</summary>
    public Distributed.DistributionCost? Distribution { get; init; }
}

/// <summary>Where a violation was first seen: a step from the state at <c>Position</c> of level <c>Level</c> (its
/// <c>Ordinal</c>-th successor); level -1 is the initial state itself. Lower is earlier in search order.</summary>
readonly record struct Sighting(int Level, int Position, int Ordinal) : IComparable<Sighting>
{
    public int CompareTo(Sighting o) =>
        Level != o.Level ? Level.CompareTo(o.Level) : Position != o.Position ? Position.CompareTo(o.Position) : Ordinal.CompareTo(o.Ordinal);
}

/// <summary>What one exploration found: where it stood at the end (the visited set, the first sighting of each
/// property by index, the counts), the levels when asked for, why it stopped early, and its checkpoints' levels.</summary>
sealed record Exploration(SearchPosition At, List<PackedState[]>? Levels, string? StoppedBecause, int? ResumedLevel, int? CheckpointLevel);
