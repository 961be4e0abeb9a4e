using System.Diagnostics;

namespace PageHintVerify.Engine.Distributed;

/// <summary>
/// One partition as the coordinator of a distributed search reaches it: a partition worker (<see cref="IPartitionWorker"/>)
/// behind a transport, which delivers its successor batches to their owners and its new tags to the others.
/// </summary>
public interface IPartitionHandle
{
    /// <summary>See <see cref="IPartitionWorker.Reset"/>.</summary>
    Task Reset(bool keepLevels);
    /// <summary>See <see cref="IPartitionWorker.Seed"/>.</summary>
    Task Seed(PackedState initial);
    /// <summary>Expands the partition's part of the level; done when every batch it sent has been received.</summary>
    Task<LevelExpansion> Expand(int level, int seen, CancellationToken cancellation);
    /// <summary>See <see cref="IPartitionWorker.Merge"/>.</summary>
    Task<(long Added, long StoreBytes)> Merge();
    /// <summary>Fetches the other partitions' new tags and numbers this one's new states (<see cref="IPartitionWorker.Number"/>).</summary>
    Task Number();
    /// <summary>See <see cref="IPartitionWorker.Save"/>.</summary>
    Task Save(string directory, string fingerprint, int level, int? keep);
    /// <summary>See <see cref="IPartitionWorker.Load"/>.</summary>
    Task<(long States, long Frontier, long StoreBytes)> Load(string directory, string fingerprint, int level);
    /// <summary>See <see cref="IPartitionWorker.Level"/>.</summary>
    Task<(PackedState[] States, long[] Indices)> Level(int level);
    /// <summary>See <see cref="IPartitionWorker.StateAt"/>.</summary>
    Task<PackedState?> StateAt(int level, long index);
    /// <summary>See <see cref="IPartitionWorker.FirstLeadingTo"/>.</summary>
    Task<(long Index, PackedState State)?> FirstLeadingTo(int level, PackedState target);
}

/// <summary>
/// Owner-partitioned, level-synchronous breadth-first search: the coordinator. Every state has one owner
/// (<see cref="Partition{TSystem, TStep}.OwnerOf"/>); each level, every partition expands its part and sends each
/// successor, tagged with where it was found, to its owner; at the barrier each owner keeps the lowest tag of each new
/// state, and a new state's global index in the next level is its tag's rank among all partitions' new tags. That is
/// the order in which <see cref="BreadthFirstSearch{TSystem, TStep}"/> finds them, so the state count, transitions,
/// depth, first sightings and traces are the single-process search's for any number of partitions.
/// Traces are rebuilt as the single-process search does: search again keeping the levels (each partition its part),
/// then walk back, a state's parent being the lowest-indexed state of the level before that leads to it.
/// With <see cref="SearchOptions.Checkpoint"/> it writes checkpoints at the barrier (<see cref="DistributedCheckpoint"/>)
/// or resumes from one, as the single-process search does; the partitions write and read their files where they run,
/// under the directory's full path as the coordinator sees it.
/// </summary>
public sealed class DistributedSearch<TSystem, TStep>(TSystem system, SearchOptions options, IReadOnlyList<IPartitionHandle> partitions)
    where TSystem : ITransitionSystem<TStep>
{
    sealed record Run(long States, long StoreBytes, Dictionary<int, Sighting> Sightings, long Transitions, int Depth, long PeakBytes, string? StoppedBecause,
        DistributionCost Cost, int? ResumedLevel = null, int? CheckpointLevel = null);

    /// <summary>Searches, then rebuilds the shortest trace of the first violation found (of each, with
    /// <see cref="SearchOptions.All"/>). Failures of the transport propagate; cancellation and memory stop the search
    /// with a reason, as in one process. Throws <see cref="CheckpointException"/> for a checkpoint that cannot be
    /// resumed or written.</summary>
    public async Task<SearchReport<TStep>> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var run = await Explore(int.MaxValue, keepLevels: false, options.Cancellation, options.Checkpoint);
        clock.Stop();
        var chosen = run.Sightings.OrderBy(kv => kv.Value).Take(options.All ? int.MaxValue : 1).ToList();
        var traces = await Traces(chosen.Select(kv => (kv.Key, kv.Value)).ToList());
        var violations = chosen.OrderBy(kv => kv.Key).Select(kv => new PropertyViolation<TStep>(kv.Key, traces[kv.Key])).ToList();
        bool complete = run.StoppedBecause is null && (options.All || violations.Count == 0);
        return new SearchReport<TStep>(run.States, run.Transitions, run.Depth, clock.Elapsed, run.PeakBytes, partitions.Count,
            violations, complete, run.StoppedBecause)
        {
            OmissionProbability = StateStore.OmissionFor(run.States, options.HashCompact),
            StoreBytes = run.StoreBytes,
            Symmetry = options.Symmetry,
            Distribution = run.Cost,
            ResumedLevel = run.ResumedLevel,
            CheckpointLevel = run.CheckpointLevel,
        };
    }

    /// <summary>Reads the manifest of the checkpoint <paramref name="options"/> resume from, if they say to resume,
    /// refusing (<see cref="CheckpointException"/>) a bad one, or one of another number of partitions than
    /// <paramref name="partitions"/> when given, before any partition exists.</summary>
    public static void CheckResume(TSystem system, SearchOptions options, int? partitions)
    {
        if (options.Checkpoint is { Resume: true } c)
            DistributedCheckpoint.ReadManifest(c, BreadthFirstSearch<TSystem, TStep>.Fingerprint(system, options, c), system.Properties.Count, partitions);
    }

    /// <summary>Every reachable state, level by level (under symmetry, one per orbit), in the single-process search's
    /// order: the partitions' parts of each level merged by global index.</summary>
    public async Task<IReadOnlyList<PackedState[]>> ReachableLevelsAsync()
    {
        var run = await Explore(int.MaxValue, keepLevels: true);
        var levels = new List<PackedState[]>();
        for (int l = 0; l <= run.Depth; l++)
        {
            var parts = await All(p => p.Level(l));
            var level = new PackedState[parts.Sum(p => p.States.Length)];
            foreach (var (states, indices) in parts)
                for (int i = 0; i < states.Length; i++) level[indices[i]] = states[i];
            levels.Add(level);
        }
        return levels;
    }

    Task All(Func<IPartitionHandle, Task> call) => Task.WhenAll(partitions.Select(call));
    Task<T[]> All<T>(Func<IPartitionHandle, Task<T>> call) => Task.WhenAll(partitions.Select(call));

    /// <summary>As <see cref="BreadthFirstSearch{TSystem, TStep}"/>'s exploration: level by level up to
    /// <paramref name="lastLevel"/>, the partitions keeping every level with <paramref name="keepLevels"/>; with
    /// <paramref name="checkpoints"/>, resumes or writes checkpoints at the barrier.</summary>
    async Task<Run> Explore(int lastLevel, bool keepLevels, CancellationToken cancellation = default, CheckpointOptions? checkpoints = null)
    {
        var m = new DistributedCheckpoint.Manifest { Partitions = partitions.Count, States = 1, Frontier = 1 };
        string? fingerprint = checkpoints is null ? null : BreadthFirstSearch<TSystem, TStep>.Fingerprint(system, options, checkpoints);
        // The partitions may run elsewhere: they get the directory as the coordinator resolves it.
        string? directory = checkpoints is null ? null : Path.GetFullPath(checkpoints.Directory);
        long storeBytes = 0, sent = 0, tags = 0;
        var owned = new long[partitions.Count];
        int? resumed = null;
        if (checkpoints is { Resume: true })
        {
            m = DistributedCheckpoint.ReadManifest(checkpoints, fingerprint!, system.Properties.Count, partitions.Count);
            var loaded = await All(p => p.Load(directory!, fingerprint!, m.Level));
            if (loaded.Sum(l => l.States) != m.States || loaded.Sum(l => l.Frontier) != m.Frontier)
                throw new CheckpointException(checkpoints.Manifest, $"corrupt: its partitions' files of level {m.Level} hold other counts than it says");
            storeBytes = loaded.Sum(l => l.StoreBytes);
            for (int q = 0; q < owned.Length; q++) owned[q] = loaded[q].States;
            resumed = m.Level;
        }
        else
        {
            await All(p => p.Reset(keepLevels));
            var initial = TraceSteps.Stored<TSystem, TStep>(system, options.Symmetry, system.Initial);
            int owner = Partition<TSystem, TStep>.OwnerOf(StateHash.For(system.StateBits, options.HashCompact).Of(initial), partitions.Count);
            await partitions[owner].Seed(initial);
            owned[owner] = 1;
            foreach (int p in BreadthFirstSearch<TSystem, TStep>.Bits(system.StateViolations(initial))) m.Sightings[p] = new Sighting(-1, 0, 0);
        }
        CheckpointSaver? saver = null;
        if (checkpoints is not null)
            saver = new CheckpointSaver(checkpoints, resumed, async level =>
            {
                // Every partition's file of the level first, keeping those of the manifest's level: the new manifest
                // commits them.
                int? keep = saver!.Level;
                await All(p => p.Save(directory!, fingerprint!, level, keep));
                DistributedCheckpoint.WriteManifest(checkpoints.Manifest, fingerprint!, m);
            });
        var sightings = m.Sightings;
        string? stopped = null;
        for (int level = m.Level; m.Frontier > 0 && level <= lastLevel && (options.All || keepLevels || sightings.Count == 0); level++)
        {
            if (keepLevels && level == lastLevel) break;
            if (saver is not null) await saver.Reached(level);
            bool committing = false;
            try
            {
                // A transport may not pass the token on: the barrier checks it too.
                cancellation.ThrowIfCancellationRequested();
                int seen = sightings.Keys.Aggregate(0, (b, p) => b | 1 << p);
                var found = await All(p => p.Expand(level, seen, cancellation));
                committing = true;
                var merged = await All(p => p.Merge());
                await All(p => p.Number());
                RecordSightings(found, level, sightings);
                m.Transitions += found.Sum(f => f.Transitions);
                m.PeakBytes = Math.Max(m.PeakBytes, found.Sum(f => f.PeakBytes));
                m.Frontier = merged.Sum(x => x.Added);
                m.States += m.Frontier;
                storeBytes = merged.Sum(x => x.StoreBytes);
                for (int q = 0; q < owned.Length; q++) owned[q] += merged[q].Added;
                sent += found.Sum(f => f.Sent);
                tags += m.Frontier * (partitions.Count - 1);
            }
            catch (Exception e) when (BreadthFirstSearch<TSystem, TStep>.Interruption(e, cancellation) is { } why)
            {
                stopped = $"{why} while exploring level {level + 1}";
                // Stopped before the merge, the partitions hold the level as it began.
                if (!committing && saver is not null) await saver.Stopped(level);
                break;
            }
            m.Level = level + 1;
            if (m.Frontier > 0 && level < lastLevel) m.Depth++;
        }
        return new Run(m.States, storeBytes, sightings, m.Transitions, m.Depth, m.PeakBytes, stopped, new DistributionCost(owned, sent, tags), resumed, saver?.Level);
    }

    /// <summary>The lowest sighting over the partitions of each property not seen before this level.</summary>
    void RecordSightings(LevelExpansion[] found, int level, Dictionary<int, Sighting> sightings)
    {
        for (int p = 0; p < system.Properties.Count; p++)
        {
            if (sightings.ContainsKey(p)) continue;
            long first = found.Select(f => f.Sightings[p]).Where(v => v >= 0).DefaultIfEmpty(-1).Min();
            if (first >= 0) sightings[p] = new Sighting(level, (int)(first >> 16), (int)(first & 0xFFFF));
        }
    }

    /// <summary>The trace to each sighting, as <see cref="BreadthFirstSearch{TSystem, TStep}"/> rebuilds it, with each
    /// partition holding its part of the levels searched again.</summary>
    async Task<Dictionary<int, IReadOnlyList<Transition<TStep>>>> Traces(List<(int Property, Sighting At)> sightings)
    {
        var traces = new Dictionary<int, IReadOnlyList<Transition<TStep>>>();
        int last = sightings.Count == 0 ? -1 : sightings.Max(s => s.At.Level);
        if (last >= 0 && (await Explore(last, keepLevels: true)).StoppedBecause is { } why)
            throw new OutOfMemoryException($"the levels to rebuild a trace ran {why}");
        foreach (var (property, at) in sightings)
        {
            if (at.Level < 0) { traces[property] = []; continue; }
            var chain = new PackedState[at.Level + 1];
            chain[at.Level] = (await All(p => p.StateAt(at.Level, at.Position))).First(s => s is not null)!.Value;
            for (int l = at.Level - 1; l >= 0; l--)
            {
                var target = chain[l + 1];
                chain[l] = (await All(p => p.FirstLeadingTo(l, target))).Where(x => x is not null).MinBy(x => x!.Value.Index)!.Value.State;
            }
            traces[property] = TraceSteps.Replay<TSystem, TStep>(system, options.Symmetry, chain, property, at.Ordinal);
        }
        return traces;
    }
}

/// <summary>How a distributed search spread its states over the partitions and what it sent between them, counted as
/// the payload a transport carries (its own framing aside).</summary>
/// <param name="StatesPerPartition">The states each partition owns, by partition index.</param>
/// <param name="CandidatesSent">Successors sent to a partition other than the one that found them (after a resume, since it).</param>
/// <param name="TagsSent">New-state tags sent at the barriers: each new state's to every other partition.</param>
public sealed record DistributionCost(long[] StatesPerPartition, long CandidatesSent, long TagsSent)
{
    /// <summary>A candidate on the wire: the state's two words and its tag. A tag alone: one word.</summary>
    public const int CandidateBytes = 24, TagBytes = 8;

    /// <summary>Bytes of payload sent between partitions.</summary>
    public long PayloadBytes => CandidatesSent * CandidateBytes + TagsSent * TagBytes;
}
