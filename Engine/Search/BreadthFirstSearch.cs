using System.Collections.Concurrent;
using System.Diagnostics;

namespace PageHintVerify.Engine;

/// <summary>
/// Level-synchronous breadth-first search. Each level is split into fixed-size chunks whose successors are generated
/// in parallel and filtered against the visited set as it stood when the level began (<see cref="ChunkResult"/>); the
/// survivors are then merged in parallel, one store segment per task, each segment taking its candidates in chunk
/// order. The next level is the new states in the order they were found, chunk by chunk: siblings stay together, so
/// the successors they share (one step of each of two actors, taken in either order) are caught by a chunk's cache of
/// recent look-ups; ordered by segment instead, a level needed twice the look-ups. Chunks and segments do not depend
/// on the thread count, so neither do the state count, the level order, the first sighting of each violation or its
/// trace.
/// No parents are stored: a trace is rebuilt by searching again to the violation's level, keeping the levels, and
/// walking back through them (a state's parent is the first state of the level before that leads to it).
/// </summary>
public sealed class BreadthFirstSearch<TSystem, TStep>(TSystem system, SearchOptions options)
    where TSystem : ITransitionSystem<TStep>
{
    const int ChunkSize = 8192, MergeLookahead = 8;
    /// <summary>Bytes a surviving successor holds until the merge: the state, its index by segment, its fresh flag.</summary>
    const int CandidateBytes = 16 + sizeof(int) + sizeof(bool);

    readonly SearchProgress _progress = new();
    readonly int _threads = Math.Max(1, options.Threads);
    /// <summary>The workers' chunk memory, kept from level to level.</summary>
    readonly ConcurrentBag<ChunkWork> _work = [];
    SearchPosition? _loaded;

    /// <summary>Reads the checkpoint <see cref="SearchOptions.Checkpoint"/> resumes from, if it says to resume, so that
    /// a bad one is refused (<see cref="CheckpointException"/>) before anything else happens; <see cref="Run"/> reads
    /// it otherwise.</summary>
    public void LoadCheckpoint()
    {
        if (options.Checkpoint is { Resume: true } c) _loaded ??= Resume(c);
    }

    /// <summary>Searches (from the checkpoint of <see cref="SearchOptions.Checkpoint"/> if it says to resume, writing
    /// checkpoints if it names a directory), then rebuilds the shortest trace of the first violation found (of each,
    /// with <see cref="SearchOptions.All"/>). Throws <see cref="CheckpointException"/> for a checkpoint that cannot be
    /// resumed or written.</summary>
    public SearchReport<TStep> Run()
    {
        var clock = Stopwatch.StartNew();
        using var progress = options.Progress is { } w ? new Timer(_ => _progress.Report(w, clock), null, options.ProgressInterval, options.ProgressInterval) : null;
        var run = Explore(int.MaxValue, keepLevels: false, options.Cancellation, checkpoints: options.Checkpoint);
        clock.Stop();
        var at = run.At;
        var chosen = at.Sightings.OrderBy(kv => kv.Value).Take(options.All ? int.MaxValue : 1).ToList();
        var traces = Traces(chosen.Select(kv => (kv.Key, kv.Value)).ToList());
        var violations = chosen.OrderBy(kv => kv.Key).Select(kv => new PropertyViolation<TStep>(kv.Key, traces[kv.Key])).ToList();
        bool complete = run.StoppedBecause is null && (options.All || violations.Count == 0);
        return new SearchReport<TStep>(at.Store.Count, at.Transitions, at.Depth, clock.Elapsed, at.PeakBytes, _threads,
            violations, complete, run.StoppedBecause)
        {
            OmissionProbability = at.Store.OmissionProbability,
            StoreBytes = at.Store.Bytes,
            Symmetry = options.Symmetry,
            ResumedLevel = run.ResumedLevel,
            CheckpointLevel = run.CheckpointLevel,
        };
    }

    /// <summary>Every reachable state, level by level (under symmetry, one per orbit), found by a search that stops as
    /// soon as it passes <paramref name="maxStates"/>; null then.</summary>
    public IReadOnlyList<PackedState[]>? ReachableLevels(long maxStates)
    {
        var run = Levels(int.MaxValue, maxStates);
        return run.At.Store.Count > maxStates ? null : run.Levels;
    }

    /// <summary>The state the search stores for <paramref name="s"/>: its orbit's representative under symmetry.</summary>
    public PackedState Stored(in PackedState s) => TraceSteps.Stored<TSystem, TStep>(system, options.Symmetry, s);

    /// <summary>
    /// Searches level by level up to <paramref name="lastLevel"/>, recording first sightings and, with
    /// <paramref name="keepLevels"/>, every level (the last one kept is not expanded); with <paramref name="checkpoints"/>,
    /// resumes or writes checkpoints at the start of levels. Stops, saying why, when <paramref name="cancellation"/> is
    /// cancelled or memory runs out: the store's count and the transitions are then those of the levels completed.
    /// </summary>
    Exploration Explore(int lastLevel, bool keepLevels, CancellationToken cancellation = default, long maxStates = long.MaxValue,
        CheckpointOptions? checkpoints = null)
    {
        var at = checkpoints is { Resume: true } ? _loaded ?? Resume(checkpoints) : Start();
        _loaded = null;
        int? resumed = checkpoints is { Resume: true } ? at.Level : null;
        var saver = checkpoints is null ? null : new CheckpointSaver(checkpoints, resumed, _ =>
        {
            CheckpointFile.Write(checkpoints.File, Fingerprint(system, options, checkpoints), at, OneWord);
            return Task.CompletedTask;
        });
        var levels = keepLevels ? new List<PackedState[]>() : null;
        // The expansion checks the token before each chunk. The merge does not: once it starts it finishes, so a search
        // cancelled stops with the store as the level began, which a checkpoint can then hold.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _threads, CancellationToken = cancellation };
        var garbage = new LevelGarbage();
        _progress.StartSearch(at.Store);
        string? stopped = null;
        while (at.Frontier.Length > 0 && at.Level <= lastLevel && at.Store.Count <= maxStates && (options.All || keepLevels || at.Sightings.Count == 0))
        {
            saver?.Reached(at.Level).GetAwaiter().GetResult();
            levels?.Add(at.Frontier);
            if (keepLevels && at.Level == lastLevel) break;
            bool committing = false;
            try { NextLevel(at, parallel, garbage, ref committing); }
            catch (Exception e) when (Interruption(e, cancellation) is { } why)
            {
                stopped = $"{why} while exploring level {at.Level + 1}";
                // A merge cut short (out of memory) has added some of the next level's states to the store.
                if (!committing) saver?.Stopped(at.Level).GetAwaiter().GetResult();
                break;
            }
            garbage.Collect(at.Store.Bytes);
        }
        return new Exploration(at, levels, stopped, resumed, saver?.Level);
    }

    /// <summary>The position before the first level: the initial state, stored, and the properties it violates.</summary>
    SearchPosition Start()
    {
        var store = new StateStore(system.StateBits, options.HashCompact);
        var initial = Stored(system.Initial);
        store.TryAdd(initial, store.Hash(initial));
        store.Recount();
        var sightings = Bits(system.StateViolations(initial)).ToDictionary(p => p, _ => new Sighting(-1, 0, 0));
        return new SearchPosition(store, sightings, [initial]);
    }

    SearchPosition Resume(CheckpointOptions checkpoints) =>
        CheckpointFile.Read(checkpoints.File, Fingerprint(system, options, checkpoints), new StateStore(system.StateBits, options.HashCompact), OneWord, system.Properties.Count);

    bool OneWord => system.StateBits <= StateStore.OneWordBits;

    /// <summary>The caller's fingerprint and what the engine adds: the options that change what a search stores or
    /// when it stops, and the system's shape (its state width, properties and initial state).</summary>
    internal static string Fingerprint(TSystem system, SearchOptions options, CheckpointOptions checkpoints) =>
        $"{checkpoints.Fingerprint}; engine: {system.StateBits} state bits, properties {string.Join(" ", system.Properties.Select(p => p.Id))}, " +
        $"initial state {system.Initial}{(options.Symmetry ? ", symmetry" : "")}{(options.HashCompact ? ", hash compaction" : "")}" +
        $"{(options.All ? ", all violations" : ", first violation")}";

    /// <summary>Why an exception thrown by a level ends the search without a verdict on the rest: cancelled, or out of
    /// memory (also as a parallel loop wraps them); null for anything else, which is a bug.</summary>
    internal static string? Interruption(Exception e, CancellationToken cancellation) => e switch
    {
        OperationCanceledException when cancellation.IsCancellationRequested => "interrupted",
        OutOfMemoryException => "out of memory",
        AggregateException a => a.Flatten().InnerExceptions.Select(x => Interruption(x, cancellation)).FirstOrDefault(w => w is not null),
        _ => null,
    };

    /// <summary>Expands the level at <paramref name="at"/>, records its first sightings, merges its successors into the
    /// store and moves <paramref name="at"/> to the next level. Until <paramref name="committing"/> is set (after the
    /// expansion) nothing changes; a level that throws after it leaves the sightings recorded (a violation found is
    /// reported) and the store's count as it was, but not its contents.</summary>
    void NextLevel(SearchPosition at, ParallelOptions parallel, LevelGarbage garbage, ref bool committing)
    {
        var (store, frontier, sightings) = (at.Store, at.Frontier, at.Sightings);
        int chunks = (frontier.Length + ChunkSize - 1) / ChunkSize;
        var results = new ChunkResult[chunks];
        int seen = sightings.Keys.Aggregate(0, (m, p) => m | 1 << p);
        _progress.StartLevel(at.Level, frontier.Length);
        Parallel.For(0, chunks, parallel, () => _work.TryTake(out var w) ? w : new ChunkWork(store.Hashing, OneWord), (chunk, _, work) =>
        {
            int from = chunk * ChunkSize, to = Math.Min(frontier.Length, from + ChunkSize);
            var r = results[chunk] = ChunkResult.Expand<TSystem, TStep>(system, options.Symmetry, store, frontier, from, to, work, seen);
            _progress.Expanded(to - from, r.Candidates.Length);
            return work;
        }, _work.Add);

        long incoming = results.Sum(r => (long)r.Candidates.Length);
        long held = system.MemoBytes + (long)frontier.Length * 16 + incoming * CandidateBytes;
        committing = true;
        RecordSightings(results, at.Level, sightings);
        var uncancelled = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        Merge(store, results, uncancelled, garbage);
        var next = InOrderFound(results, uncancelled);
        store.Recount();
        at.Transitions += results.Sum(r => r.Transitions);
        at.PeakBytes = Math.Max(at.PeakBytes, store.Bytes + held + (long)next.Length * 16);
        at.Frontier = next;
        at.Level++;
        if (next.Length > 0) at.Depth++;
    }

    /// <summary>The first sighting in chunk order of each property not seen before this level.</summary>
    void RecordSightings(ChunkResult[] results, int level, Dictionary<int, Sighting> sightings)
    {
        for (int p = 0; p < system.Properties.Count; p++)
        {
            if (sightings.ContainsKey(p)) continue;
            foreach (var r in results)
                if (r.Sightings[p] >= 0)
                {
                    sightings[p] = new Sighting(level, (int)(r.Sightings[p] >> 16), (int)(r.Sightings[p] & 0xFFFF));
                    break;
                }
        }
    }

    /// <summary>Adds the candidates to the store, one task per segment, each in chunk order, marking the new ones; each
    /// task then settles its segment, placing its new states in one pass. The candidates were not in the store as the
    /// level began (its segments were settled then), so only the level's own states are checked.</summary>
    static void Merge(StateStore store, ChunkResult[] results, ParallelOptions parallel, LevelGarbage garbage)
    {
        long held = store.Bytes;
        Parallel.For(0, StateStore.Segments, parallel, seg =>
        {
            foreach (var r in results)
            {
                int end = r.Offsets[seg + 1];
                for (int i = r.Offsets[seg]; i < end; i++)
                {
                    // Start loading what adding a candidate a few ahead reads, so the misses overlap.
                    if (i + MergeLookahead < end) store.PrefetchToAdd(r.Candidates[i + MergeLookahead]);
                    var c = r.Candidates[i];
                    if (store.TryAddMissing(c, store.Hash(c))) r.Fresh[i] = true;
                }
            }
            store.Settle(seg);
            garbage.Collect(held); // the segment's old slots, if it was rebuilt
        });
    }

    /// <summary>The new states of a level, chunk by chunk in the order each chunk found them; each chunk's share is
    /// copied by its own task, reading only that chunk's arrays.</summary>
    static PackedState[] InOrderFound(ChunkResult[] results, ParallelOptions parallel)
    {
        var start = new long[results.Length + 1];
        Parallel.For(0, results.Length, parallel, c => start[c + 1] = results[c].Fresh.Count(f => f));
        for (int c = 0; c < results.Length; c++) start[c + 1] += start[c];
        var frontier = new PackedState[start[^1]];
        Parallel.For(0, results.Length, parallel, c =>
        {
            var r = results[c];
            long at = start[c];
            foreach (int i in r.Position)
                if (r.Fresh[i]) frontier[at++] = r.Candidates[i];
        });
        return frontier;
    }

    internal static IEnumerable<int> Bits(int mask) => Enumerable.Range(0, 32).Where(p => (mask & 1 << p) != 0);

    /// <summary>Searches again keeping every level up to <paramref name="lastLevel"/>. Nothing cancels it, so only
    /// memory stops it: as if the allocation had failed here.</summary>
    Exploration Levels(int lastLevel, long maxStates = long.MaxValue)
    {
        var run = Explore(lastLevel, keepLevels: true, maxStates: maxStates);
        if (run.StoppedBecause is { } why) throw new OutOfMemoryException($"the levels to rebuild a trace ran {why}");
        return run;
    }

    /// <summary>
    /// The trace to each sighting. The stored chain is rebuilt backwards (a state's parent is the first state of the
    /// level before with it as a successor, as the search found it), then replayed forwards from the initial state with
    /// full steps; under symmetry each step is the one whose target has the stored representative.
    /// </summary>
    Dictionary<int, IReadOnlyList<Transition<TStep>>> Traces(List<(int Property, Sighting At)> sightings)
    {
        var traces = new Dictionary<int, IReadOnlyList<Transition<TStep>>>();
        int last = sightings.Count == 0 ? -1 : sightings.Max(s => s.At.Level);
        var levels = last >= 0 ? Levels(last).Levels! : [];
        var buffer = new Expansion();
        foreach (var (property, at) in sightings)
        {
            if (at.Level < 0) { traces[property] = []; continue; }
            var chain = new PackedState[at.Level + 1];
            chain[at.Level] = levels[at.Level][at.Position];
            for (int l = at.Level - 1; l >= 0; l--)
                chain[l] = levels[l].First(z => TraceSteps.LeadsTo<TSystem, TStep>(system, options.Symmetry, z, chain[l + 1], buffer));
            traces[property] = TraceSteps.Replay<TSystem, TStep>(system, options.Symmetry, chain, property, at.Ordinal);
        }
        return traces;
    }
}
