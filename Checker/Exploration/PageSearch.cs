using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>One step of a trace and every page after it.</summary>
public sealed record TraceStep(Step Step, PageState[] PagesAfter);

/// <summary>A violated invariant with the shortest trace from the initial state that violates it.</summary>
public sealed record Violation(Invariant Invariant, IReadOnlyList<TraceStep> Trace);

/// <summary>What a run found and what it cost.</summary>
public sealed record SearchResult(
    long States, long Transitions, int Depth, TimeSpan Elapsed, long PeakBytes, int Threads,
    IReadOnlyList<Violation> Violations, bool Complete, string? StoppedBecause)
{
    public double StatesPerSecond => States / Math.Max(Elapsed.TotalSeconds, 1e-9);
    public double BytesPerState => (double)PeakBytes / Math.Max(States, 1);
    /// <summary>Bytes the visited set holds at the end, per state: the cost of a stored state alone.</summary>
    public long StoreBytes { get; init; }
    public double StoredBytesPerState => (double)StoreBytes / Math.Max(States, 1);
    /// <summary>With hash compaction, the chance that a state was wrongly taken as visited; else 0.</summary>
    public double OmissionProbability { get; init; }
    /// <summary>Whether states were reduced to one per symmetry orbit.</summary>
    public bool Symmetry { get; init; }
    /// <summary>The level whose checkpoint the search resumed from, or null.</summary>
    public int? ResumedLevel { get; init; }
    /// <summary>The level whose checkpoint is on disk at the end, or null.</summary>
    public int? CheckpointLevel { get; init; }
    /// <summary>Of a distributed search: how its states spread over the partitions and what they sent; else null.</summary>
    public Engine.Distributed.DistributionCost? Distribution { get; init; }
    /// <summary>Of a search on silos: each partition's silo, by partition index, with the peak resident memory of the
    /// silo's process; else null.</summary>
    public IReadOnlyList<(string Silo, long PeakBytes)>? Silos { get; init; }
}

/// <summary>
/// The engine's breadth-first search over the page-hinting system (<see cref="PageSystem"/>), with its findings in
/// SPEC's terms: invariants, and traces that show every page after each step.
/// </summary>
public sealed class PageSearch(Interleavings system, SearchOptions options)
{
    readonly BreadthFirstSearch<PageSystem, Step> _engine = new(new PageSystem(system), options);

    public SearchResult Run() => Result(_engine.Run());

    /// <summary>The same search, owner-partitioned over <paramref name="partitions"/> (see
    /// <see cref="PartitionedPageSearch"/>): the same results for any number of them.</summary>
    public async Task<SearchResult> RunAsync(IReadOnlyList<Engine.Distributed.IPartitionHandle> partitions) =>
        Result(await new Engine.Distributed.DistributedSearch<PageSystem, Step>(new PageSystem(system), options, partitions).RunAsync());

    SearchResult Result(SearchReport<Step> r)
    {
        var violations = r.Violations.Select(v => new Violation(Invariants.All[v.Property], [.. v.Trace.Select(Show)])).ToList();
        return new SearchResult(r.States, r.Transitions, r.Depth, r.Elapsed, r.PeakBytes, r.Threads, violations, r.Complete, r.StoppedBecause)
        {
            OmissionProbability = r.OmissionProbability,
            StoreBytes = r.StoreBytes,
            Symmetry = r.Symmetry,
            ResumedLevel = r.ResumedLevel,
            CheckpointLevel = r.CheckpointLevel,
            Distribution = r.Distribution,
        };
    }

    /// <summary>Reads the checkpoint to resume from now, refusing a bad one before anything else happens: the
    /// single-process one, or with <paramref name="distributed"/> the manifest of a distributed one (of
    /// <paramref name="partitions"/> partitions, when known).</summary>
    public void LoadCheckpoint(bool distributed = false, int? partitions = null)
    {
        if (distributed) Engine.Distributed.DistributedSearch<PageSystem, Step>.CheckResume(new PageSystem(system), options, partitions);
        else _engine.LoadCheckpoint();
    }

    /// <summary>Every reachable state by level (one per orbit under symmetry), or null past <paramref name="maxStates"/>.</summary>
    public IReadOnlyList<PackedState[]>? ReachableLevels(long maxStates) => _engine.ReachableLevels(maxStates);

    /// <summary>The state the search stores for <paramref name="s"/>.</summary>
    public PackedState Stored(in PackedState s) => _engine.Stored(s);

    TraceStep Show(Transition<Step> t) => new(t.Step, PagesOf(system, t.State));

    /// <summary>Every page of <paramref name="s"/>, in order.</summary>
    public static PageState[] PagesOf(Interleavings system, in PackedState s)
    {
        var pages = new PageState[system.PageCount];
        for (int p = 0; p < pages.Length; p++) pages[p] = system.Page(s, p);
        return pages;
    }
}
