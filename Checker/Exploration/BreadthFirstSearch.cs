using System.Diagnostics;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>How a run is done; none of it changes what is found.</summary>
public sealed record SearchOptions
{
    /// <summary>Explore everything and report the shortest trace of every violated invariant, instead of stopping at the first.</summary>
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
    /// <summary>Store one representative per symmetry orbit (<see cref="Interleavings.Canonical"/>).</summary>
    public bool Symmetry { get; init; }
    /// <summary>Store 64-bit hash signatures instead of states: less memory, a small chance of missing states.</summary>
    public bool HashCompact { get; init; }
}

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
}

/// <summary>
/// Level-synchronous breadth-first search. Each level is split into fixed-size chunks whose successors are generated
/// in parallel (from the step table) and filtered against the visited set as it stood when the level began; the
/// survivors are then merged in parallel, one store segment per task, each segment taking its candidates in chunk
/// order. The next level is the new states in the order they were found, chunk by chunk: siblings stay together, so
/// the successors they share (one step of each of two actors, taken in either order) are caught by a chunk's cache of
/// recent look-ups; ordered by segment instead, a level needed twice the look-ups. Chunks and segments do not depend
/// on the thread count, so neither do the state count, the level order, the first sighting of each violation or its
/// trace.
/// No parents are stored: a trace is rebuilt by searching again to the violation's level, keeping the levels, and
/// walking back through them (a state's parent is the first state of the level before that leads to it).
/// </summary>
public sealed class BreadthFirstSearch(Interleavings system, SearchOptions options)
{
    const int ChunkSize = 8192, RecentSlots = 16384, MergeLookahead = 8;
    /// <summary>Bytes a surviving successor holds until the merge: the state, its index by segment, its fresh flag.</summary>
    const int CandidateBytes = 16 + sizeof(int) + sizeof(bool);

    /// <summary>No state: the second word's top bit is never set (<see cref="BitLayout"/>).</summary>
    static readonly PackedState Unused = new(ulong.MaxValue, ulong.MaxValue);

    /// <summary>The hash of no one-word state: its word would need the top bit (<see cref="Interleavings.FitsOneWord"/>).</summary>
    static readonly ulong UnusedHash = StateStore.Hash(new PackedState(ulong.MaxValue, 0));

    /// <summary>Where a violation was first seen: a step from the state at <c>Position</c> of level <c>Level</c> (its
    /// <c>Ordinal</c>-th successor); level -1 is the initial state itself. Lower is earlier in search order.</summary>
    readonly record struct Sighting(int Level, int Position, int Ordinal) : IComparable<Sighting>
    {
        public int CompareTo(Sighting o) =>
            Level != o.Level ? Level.CompareTo(o.Level) : Position != o.Position ? Position.CompareTo(o.Position) : Ordinal.CompareTo(o.Ordinal);
    }

    /// <summary>One chunk's output: surviving successors grouped by store segment, and its first sighting per invariant.</summary>
    sealed class ChunkResult
    {
        public PackedState[] Candidates = [];               // grouped by segment, so the merge reads them in order
        public int[] Position = [];                         // the k-th found is Candidates[Position[k]]
        public bool[] Fresh = [];                           // set by the merge: Candidates[i] was new
        public int[] Offsets = new int[StateStore.Segments + 1];
        public readonly long[] Sightings = new long[Invariants.All.Count]; // position << 16 | ordinal, or -1
        public long Transitions;
    }

    StateStore _store = null!;
    long _transitions;
    volatile int _depth;
    // The level being expanded, for progress lines: its size, the states of it expanded so far, and the successors
    // those found that were not yet stored (the next level before its duplicates are merged away).
    long _levelSize, _levelExpanded, _levelFound;
    int _threads;

    public SearchResult Run()
    {
        var clock = Stopwatch.StartNew();
        var found = new Dictionary<Invariant, Sighting>();
        string? stopped = null;
        using var progress = options.Progress is null ? null : new Timer(_ => Report(clock), null, options.ProgressInterval, options.ProgressInterval);
        long peak = Explore(int.MaxValue, null, found, ref stopped, options.Cancellation);
        clock.Stop();
        var (states, transitions, depth, omission, storeBytes) = (_store.Count, _transitions, _depth, _store.OmissionProbability, _store.Bytes);
        var chosen = found.OrderBy(kv => kv.Value).Take(options.All ? int.MaxValue : 1).ToList();
        var traces = Traces(chosen.Select(kv => (kv.Key, kv.Value)).ToList());
        var violations = chosen
            .OrderBy(kv => kv.Key.Bit())
            .Select(kv => new Violation(kv.Key, traces[kv.Key]))
            .ToList();
        bool complete = stopped is null && (options.All || violations.Count == 0);
        return new SearchResult(states, transitions, depth, clock.Elapsed, peak, _threads, violations, complete, stopped)
        {
            OmissionProbability = omission,
            StoreBytes = storeBytes,
            Symmetry = options.Symmetry,
        };
    }

    PackedState Canonical(in PackedState s) => options.Symmetry ? system.Canonical(s) : s;

    /// <summary>
    /// Searches level by level up to <paramref name="lastLevel"/>, recording first sightings in <paramref name="found"/>
    /// and, when <paramref name="levels"/> is given, every level (the last one kept is not expanded). Stops, saying why
    /// in <paramref name="stopped"/>, when <paramref name="cancellation"/> is cancelled or memory runs out: the store's
    /// count and the transitions are then those of the levels completed. Returns the peak bytes held.
    /// </summary>
    long Explore(int lastLevel, List<PackedState[]>? levels, Dictionary<Invariant, Sighting> found, ref string? stopped,
        CancellationToken cancellation = default, long maxStates = long.MaxValue)
    {
        _store = new StateStore(system.FitsOneWord, options.HashCompact);
        _transitions = 0;
        _depth = 0;
        _threads = Math.Max(1, options.Threads);
        // Parallel loops check the token before each chunk (and each store segment of the merge).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _threads, CancellationToken = cancellation };
        var initial = Canonical(system.Initial);
        _store.TryAdd(initial, StateStore.Hash(initial));
        _store.Recount();
        foreach (var inv in Of(system.StateViolations(initial))) found[inv] = new Sighting(-1, 0, 0);

        PackedState[] frontier = [initial];
        long peak = 0;
        for (int level = 0; frontier.Length > 0 && level <= lastLevel && _store.Count <= maxStates && (options.All || levels is not null || found.Count == 0); level++)
        {
            levels?.Add(frontier);
            if (levels is not null && level == lastLevel) break;
            try { frontier = NextLevel(frontier, level, found, parallel, ref peak); }
            catch (Exception e) when (Interruption(e, cancellation) is { } why)
            {
                stopped = $"{why} while exploring level {level + 1}";
                break;
            }
            if (frontier.Length > 0 && level < lastLevel) _depth++;
        }
        return peak;
    }

    /// <summary>Why an exception thrown by a level ends the search without a verdict on the rest: cancelled, or out of
    /// memory (also as a parallel loop wraps them); null for anything else, which is a bug.</summary>
    static string? Interruption(Exception e, CancellationToken cancellation) => e switch
    {
        OperationCanceledException when cancellation.IsCancellationRequested => "interrupted",
        OutOfMemoryException => "out of memory",
        AggregateException a => a.Flatten().InnerExceptions.Select(x => Interruption(x, cancellation)).FirstOrDefault(w => w is not null),
        _ => null,
    };

    /// <summary>Expands <paramref name="frontier"/> (level <paramref name="level"/>), records its first sightings and
    /// merges its successors into the store; returns the next level. The store's count and the transitions change only
    /// once everything else is done, so a level that throws leaves them as they were.</summary>
    PackedState[] NextLevel(PackedState[] frontier, int level, Dictionary<Invariant, Sighting> found, ParallelOptions parallel, ref long peak)
    {
        int chunks = (frontier.Length + ChunkSize - 1) / ChunkSize;
        var results = new ChunkResult[chunks];
        int foundMask = found.Keys.Aggregate(0, (m, i) => m | i.Bit());
        Interlocked.Exchange(ref _levelExpanded, 0);
        Interlocked.Exchange(ref _levelFound, 0);
        Interlocked.Exchange(ref _levelSize, frontier.Length);
        Parallel.For(0, chunks, parallel, () => new Expansion(),
            (chunk, _, buffer) => { results[chunk] = Expand(frontier, chunk, buffer, foundMask); return buffer; }, _ => { });

        for (int inv = 0; inv < Invariants.All.Count; inv++)
        {
            var invariant = Invariants.All[inv];
            if (found.ContainsKey(invariant)) continue;
            foreach (var r in results)
                if (r.Sightings[inv] >= 0)
                {
                    found[invariant] = new Sighting(level, (int)(r.Sightings[inv] >> 16), (int)(r.Sightings[inv] & 0xFFFF));
                    break;
                }
        }
        long incoming = results.Sum(r => (long)r.Candidates.Length);
        long held = system.MemoBytes + (long)frontier.Length * 16 + incoming * CandidateBytes;

        Parallel.For(0, StateStore.Segments, parallel, seg =>
        {
            foreach (var r in results)
            {
                int end = r.Offsets[seg + 1];
                for (int i = r.Offsets[seg]; i < end; i++)
                {
                    // Start loading a candidate a few ahead, so its cache misses overlap this one's.
                    if (i + MergeLookahead < end) _store.Prefetch(r.Candidates[i + MergeLookahead], StateStore.Hash(r.Candidates[i + MergeLookahead]));
                    var c = r.Candidates[i];
                    if (_store.TryAdd(c, StateStore.Hash(c))) r.Fresh[i] = true;
                }
            }
        });
        var next = InOrderFound(results, parallel);
        _store.Recount();
        _transitions += results.Sum(r => r.Transitions);
        peak = Math.Max(peak, _store.Bytes + held + (long)next.Length * 16);
        return next;
    }

    /// <summary>Phase one for one chunk: every successor, the first sighting of each invariant not yet found, and the
    /// successors not in the store as of the level's start, grouped by segment.</summary>
    ChunkResult Expand(PackedState[] frontier, int chunk, Expansion buffer, int foundMask)
    {
        var result = new ChunkResult();
        Array.Fill(result.Sightings, -1);
        int from = chunk * ChunkSize, to = Math.Min(frontier.Length, from + ChunkSize);
        var kept = new List<(PackedState State, ulong Hash)>();
        // Successors just looked up in this chunk, direct-mapped by hash: a repeat needs no second look-up (if it was
        // new it is already kept, and the merge would drop it anyway). Depends only on the chunk, not on threads.
        // It holds hashes, half the bytes of states, so more of it stays in L2: a one-word state's hash is a bijection
        // of its word, so equal hashes are equal states; wider states are compared in full when their hashes match.
        var recent = new ulong[RecentSlots];
        Array.Fill(recent, UnusedHash);
        bool oneWord = system.FitsOneWord;
        var recentStates = oneWord ? [] : new PackedState[RecentSlots];
        if (!oneWord) Array.Fill(recentStates, Unused);
        bool symmetry = options.Symmetry;
        // Two batches of successors: one state's are prefetched while the previous state's are looked up, so the look-ups'
        // cache misses overlap with the next expansion instead of stalling it.
        var pending = new PackedState[64];
        var hashes = new ulong[64];
        var looking = new PackedState[64];
        var lookingHashes = new ulong[64];
        int lookingCount = 0;
        int seen = foundMask;
        long transitions = 0;
        for (int i = from; i < to; i++)
        {
            var s = frontier[i];
            system.Expand(s, buffer);
            transitions += buffer.Steps;
            int count = 0;
            for (int k = 0; k < buffer.Count; k++)
            {
                int fresh = buffer.Violations[k] & ~seen;
                if (fresh != 0)
                {
                    for (int inv = 0; inv < Invariants.All.Count; inv++)
                        if ((fresh & (1 << inv)) != 0) result.Sightings[inv] = ((long)i << 16) | (uint)buffer.Ordinals[k];
                    seen |= fresh;
                }
                var next = buffer.States[k];
                if (next == s) continue;
                if (symmetry) next = system.Canonical(next);
                ulong hash = StateStore.Hash(next);
                int slot = (int)hash & (RecentSlots - 1);
                if (recent[slot] == hash && (oneWord || recentStates[slot] == next)) continue;
                recent[slot] = hash;
                if (!oneWord) recentStates[slot] = next;
                if (count == pending.Length)
                {
                    Array.Resize(ref pending, count * 2);
                    Array.Resize(ref hashes, count * 2);
                }
                _store.Prefetch(next, hash);
                (pending[count], hashes[count]) = (next, hash);
                count++;
            }
            for (int k = 0; k < lookingCount; k++)
                if (!_store.Contains(looking[k], lookingHashes[k])) kept.Add((looking[k], lookingHashes[k]));
            (looking, pending, lookingHashes, hashes, lookingCount) = (pending, looking, hashes, lookingHashes, count);
        }
        for (int k = 0; k < lookingCount; k++)
            if (!_store.Contains(looking[k], lookingHashes[k])) kept.Add((looking[k], lookingHashes[k]));
        result.Transitions = transitions;
        Interlocked.Add(ref _levelExpanded, to - from);
        Interlocked.Add(ref _levelFound, kept.Count);
        var offsets = result.Offsets;
        foreach (var (_, hash) in kept) offsets[StateStore.SegmentOf(hash) + 1]++;
        for (int seg = 0; seg < StateStore.Segments; seg++) offsets[seg + 1] += offsets[seg];
        var fill = offsets[..StateStore.Segments];
        result.Candidates = new PackedState[kept.Count];
        result.Position = new int[kept.Count];
        result.Fresh = new bool[kept.Count];
        for (int k = 0; k < kept.Count; k++)
        {
            int at = result.Position[k] = fill[StateStore.SegmentOf(kept[k].Hash)]++;
            result.Candidates[at] = kept[k].State;
        }
        return result;
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

    static IEnumerable<Invariant> Of(int mask) => Invariants.All.Where(i => (mask & i.Bit()) != 0);

    void Report(Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        var store = _store;
        if (store is null) return;
        // On the timer's thread: a line that cannot be made at the memory budget is skipped, not a crash.
        try
        {
            options.Progress!.WriteLine(ProgressLine(store.Count, _depth, Interlocked.Read(ref _levelSize),
                Interlocked.Read(ref _levelExpanded), Interlocked.Read(ref _levelFound), seconds, Environment.WorkingSet));
        }
        catch (OutOfMemoryException) { }
    }

    /// <summary>
    /// A progress line: the states stored, the level being expanded and the share of it done, the frontier (the states
    /// of that level still waiting plus the new successors found so far, which the next level's merge may still thin
    /// out), the rate, the process's memory and the time.
    /// </summary>
    public static string ProgressLine(long states, int level, long levelSize, long expanded, long found, double seconds, long workingSet)
    {
        long done = Math.Min(expanded, levelSize);
        long percent = levelSize == 0 ? 0 : done * 100 / levelSize;
        return $"  {states,12:N0} states  level {level,3} {percent,3}%  frontier {levelSize - done + found,12:N0}  " +
            $"{states / Math.Max(seconds, 1e-9),10:N0} states/s  {Format.Bytes(workingSet)}  {seconds,6:F1} s";
    }

    /// <summary>Searches again keeping every level up to <paramref name="lastLevel"/> (all of them by default); null
    /// as soon as more than <paramref name="maxStates"/> states are found.</summary>
    List<PackedState[]>? Levels(int lastLevel = int.MaxValue, long maxStates = long.MaxValue)
    {
        var levels = new List<PackedState[]>();
        string? stopped = null;
        Explore(lastLevel, levels, [], ref stopped, maxStates: maxStates);
        // Nothing cancels it, so only memory stops it: as if the allocation had failed here.
        if (stopped is not null) throw new OutOfMemoryException($"the levels to rebuild a trace ran {stopped}");
        return _store.Count > maxStates ? null : levels;
    }

    /// <summary>The whole state graph as Graphviz DOT: a node per state (its pages), an edge per step; violating states
    /// red. Writes nothing and returns false when there are more than <paramref name="maxStates"/> states, found out by
    /// a search that stops as soon as it passes them.</summary>
    public bool WriteDot(TextWriter w, long maxStates)
    {
        if (Levels(maxStates: maxStates) is not { } levels) return false;
        var states = levels.SelectMany(l => l).ToList();
        var index = new Dictionary<PackedState, int>();
        for (int i = 0; i < states.Count; i++) index[states[i]] = i;
        w.WriteLine("digraph states {");
        w.WriteLine("  node [shape=box, fontname=\"monospace\", fontsize=9]; edge [fontname=\"monospace\", fontsize=8];");
        for (int i = 0; i < states.Count; i++)
        {
            var s = states[i];
            string pages = string.Join("\\n", Enumerable.Range(0, system.PageCount).Select(p => system.Page(s, p).ToString()));
            string color = system.StateViolations(s) != 0 ? ", color=red, fontcolor=red" : i == 0 ? ", penwidth=2" : "";
            w.WriteLine($"  s{i} [label=\"{pages}\\n{system.ProgramCounters(s)}\"{color}];");
        }
        var successors = new List<Successor>();
        for (int i = 0; i < states.Count; i++)
        {
            successors.Clear();
            system.Successors(states[i], successors);
            foreach (var succ in successors)
            {
                if (!index.TryGetValue(Canonical(succ.State), out int j)) continue;
                var step = succ.Step;
                string label = StepText.Label(system.ActorName(step.Actor), step.Op, step.Before.GH, step.Page, step.Phase);
                w.WriteLine($"  s{i} -> s{j} [label=\"{label}\"{(succ.Violations != 0 ? ", color=red" : "")}];");
            }
        }
        w.WriteLine("}");
        return true;
    }

    /// <summary>
    /// The trace to each sighting. The stored chain is rebuilt backwards (a state's parent is the first state of the
    /// level before with it as a successor, as the search found it), then replayed forwards from the initial state with
    /// full <see cref="Step"/> records; under symmetry each step is the one whose target has the stored representative.
    /// </summary>
    Dictionary<Invariant, IReadOnlyList<TraceStep>> Traces(List<(Invariant Invariant, Sighting At)> sightings)
    {
        var traces = new Dictionary<Invariant, IReadOnlyList<TraceStep>>();
        int last = sightings.Count == 0 ? -1 : sightings.Max(s => s.At.Level);
        var levels = last >= 0 ? Levels(last)! : [];
        var buffer = new Expansion();
        var successors = new List<Successor>();
        foreach (var (invariant, at) in sightings)
        {
            if (at.Level < 0) { traces[invariant] = []; continue; }
            var chain = new PackedState[at.Level + 1];
            chain[at.Level] = levels[at.Level][at.Position];
            for (int l = at.Level - 1; l >= 0; l--)
                chain[l] = levels[l].First(z => LeadsTo(z, chain[l + 1], buffer));
            var trace = new List<TraceStep>();
            var x = system.Initial;
            for (int l = 1; l <= at.Level + 1; l++)
            {
                successors.Clear();
                system.Successors(x, successors);
                var step = l <= at.Level ? successors.First(s => Canonical(s.State) == chain[l])
                    : options.Symmetry ? successors.First(s => ((s.Violations | system.StateViolations(s.State)) & invariant.Bit()) != 0)
                    : successors[at.Ordinal];
                trace.Add(new TraceStep(step.Step, Enumerable.Range(0, system.PageCount).Select(p => system.Page(step.State, p)).ToArray()));
                x = step.State;
            }
            traces[invariant] = trace;
        }
        return traces;
    }

    bool LeadsTo(in PackedState from, in PackedState to, Expansion buffer)
    {
        system.Expand(from, buffer);
        for (int k = 0; k < buffer.Count; k++)
            if (Canonical(buffer.States[k]) == to) return true;
        return false;
    }
}

/// <summary>Human-readable numbers.</summary>
public static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>A count and its noun, singular for one: <c>1 step</c>, <c>1,296 states</c>.</summary>
    public static string Count(long n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>Parses 512M, 4G, 1.5GiB, 100000 (bytes).</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim().ToUpperInvariant().Replace("IB", "").Replace("B", "");
        long unit = 1;
        if (t.EndsWith('K')) unit = 1L << 10;
        else if (t.EndsWith('M')) unit = 1L << 20;
        else if (t.EndsWith('G')) unit = 1L << 30;
        if (unit != 1) t = t[..^1];
        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || v <= 0) return false;
        bytes = (long)(v * unit);
        return true;
    }
}

