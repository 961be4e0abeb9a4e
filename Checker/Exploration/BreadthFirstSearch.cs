using System.Diagnostics;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>How a run is done; none of it changes what is found.</summary>
public sealed record SearchOptions
{
    /// <summary>Explore everything and report the shortest trace of every violated invariant, instead of stopping at the first.</summary>
    public bool All { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    /// <summary>Stop with partial statistics rather than let the state space outgrow this.</summary>
    public long MaxMemoryBytes { get; init; } = 16L << 30;
    /// <summary>Where progress lines go, at most one a second; null for none.</summary>
    public TextWriter? Progress { get; init; }
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
}

/// <summary>
/// Level-synchronous breadth-first search. Each level is split into chunks whose successors are generated in parallel
/// against the visited set as it stood when the level began; the chunks are then merged in order on one thread. So the
/// state numbering, the parents and hence every trace are the same whatever the thread count.
/// </summary>
public sealed class BreadthFirstSearch(Interleavings system, SearchOptions options)
{
    const int ChunkSize = 2048;

    readonly record struct Candidate(PackedState State, int Parent, int Ordinal, int Violations, bool Known);

    /// <summary>Where a violation was first seen: a step (parent state and successor ordinal). Lower is earlier in BFS order.</summary>
    readonly record struct Sighting(int Parent, int Ordinal) : IComparable<Sighting>
    {
        public int CompareTo(Sighting other) => Parent != other.Parent ? Parent.CompareTo(other.Parent) : Ordinal.CompareTo(other.Ordinal);
    }

    readonly StateStore _store = new();
    long _transitions;
    volatile int _depth;

    public SearchResult Run()
    {
        var clock = Stopwatch.StartNew();
        var found = new Dictionary<Invariant, Sighting>();
        var initial = system.Initial;
        _store.TryAdd(initial, -1, out _);
        long peak = _store.Bytes;
        string? stopped = null;

        int initialViolations = system.StateViolations(initial);
        if (initialViolations != 0)
            foreach (var inv in Of(initialViolations)) found[inv] = new Sighting(-1, 0);

        using var progress = options.Progress is null ? null : new Timer(_ => Report(clock), null, 1000, 1000);
        int threads = Math.Max(1, options.Threads);
        int levelStart = 0;
        while (levelStart < _store.Count && (options.All || found.Count == 0))
        {
            int levelEnd = _store.Count;
            int chunks = (levelEnd - levelStart + ChunkSize - 1) / ChunkSize;
            var results = new List<Candidate>[chunks];
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => new List<Successor>(64),
                (chunk, _, successors) =>
                {
                    var list = new List<Candidate>();
                    int from = levelStart + chunk * ChunkSize, to = Math.Min(levelEnd, from + ChunkSize);
                    long transitions = 0;
                    for (int i = from; i < to; i++)
                    {
                        successors.Clear();
                        system.Successors(_store[i], successors);
                        transitions += successors.Count;
                        for (int k = 0; k < successors.Count; k++)
                        {
                            var succ = successors[k];
                            bool known = _store.Find(succ.State) >= 0;
                            if (!known || succ.Violations != 0) list.Add(new Candidate(succ.State, i, k, succ.Violations, known));
                        }
                    }
                    Interlocked.Add(ref _transitions, transitions);
                    results[chunk] = list;
                    return successors;
                }, _ => { });

            int incoming = results.Sum(r => r.Count);
            long needed = _store.BytesAfterAdding(incoming) + (long)incoming * 40;
            if (needed > options.MaxMemoryBytes)
            {
                stopped = $"the state space outgrew --max-memory {Format.Bytes(options.MaxMemoryBytes)}: level {_depth + 1} would need about {Format.Bytes(needed)}";
                break;
            }
            foreach (var list in results)
                foreach (var c in list)
                {
                    var at = new Sighting(c.Parent, c.Ordinal);
                    int mask = c.Violations;
                    if (!c.Known && _store.TryAdd(c.State, c.Parent, out _)) mask |= system.StateViolations(c.State);
                    // Levels are merged in order and each in (parent, ordinal) order: the first sighting is the shortest.
                    foreach (var inv in Of(mask)) found.TryAdd(inv, at);
                }
            peak = Math.Max(peak, _store.Bytes + (long)incoming * 40);
            levelStart = levelEnd;
            if (_store.Count > levelEnd) _depth++;
        }

        clock.Stop();
        var violations = found
            .OrderBy(kv => Depth(kv.Value)).ThenBy(kv => kv.Value)
            .Take(options.All ? int.MaxValue : 1)
            .OrderBy(kv => Invariants.All.ToList().IndexOf(kv.Key))
            .Select(kv => new Violation(kv.Key, TraceTo(kv.Value)))
            .ToList();
        bool complete = stopped is null && (options.All || violations.Count == 0);
        return new SearchResult(_store.Count, _transitions, _depth, clock.Elapsed, peak, threads, violations, complete, stopped);
    }

    // A sighting's trace length: the parent's depth plus the step (the initial state's own violations have length 0).
    int Depth(Sighting s) => s.Parent < 0 ? 0 : StateDepth(s.Parent) + 1;

    int StateDepth(int index)
    {
        int d = 0;
        for (; index > 0; index = _store.Parent(index)) d++;
        return d;
    }

    static IEnumerable<Invariant> Of(int mask) => Invariants.All.Where(i => (mask & i.Bit()) != 0);

    void Report(Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        options.Progress!.WriteLine(
            $"  {_store.Count,12:N0} states  depth {_depth,3}  {_store.Count / Math.Max(seconds, 1e-9),10:N0} states/s  {Format.Bytes(GC.GetTotalMemory(false))}  {seconds,6:F1} s");
    }

    /// <summary>The explored state graph as Graphviz DOT: a node per state (its pages), an edge per step; violating states red.</summary>
    public void WriteDot(TextWriter w)
    {
        w.WriteLine("digraph states {");
        w.WriteLine("  node [shape=box, fontname=\"monospace\", fontsize=9]; edge [fontname=\"monospace\", fontsize=8];");
        var successors = new List<Successor>();
        for (int i = 0; i < _store.Count; i++)
        {
            var s = _store[i];
            string pages = string.Join("\\n", Enumerable.Range(0, system.PageCount).Select(p => system.Page(s, p).ToString()));
            string color = system.StateViolations(s) != 0 ? ", color=red, fontcolor=red" : i == 0 ? ", penwidth=2" : "";
            w.WriteLine($"  s{i} [label=\"{pages}\\n{system.ProgramCounters(s)}\"{color}];");
        }
        for (int i = 0; i < _store.Count; i++)
        {
            successors.Clear();
            system.Successors(_store[i], successors);
            foreach (var succ in successors)
            {
                int j = _store.Find(succ.State);
                if (j < 0) continue;
                string phase = TraceTable.PhaseText(succ.Step.Phase);
                string label = $"{system.ActorName(succ.Step.Actor)} {TraceTable.OperationText(succ.Step)}{(phase.Length > 0 ? " " + phase : "")} p{succ.Step.Page}";
                w.WriteLine($"  s{i} -> s{j} [label=\"{label}\"{(succ.Violations != 0 ? ", color=red" : "")}];");
            }
        }
        w.WriteLine("}");
    }

    /// <summary>Replays the parent chain to <paramref name="at"/>, finding each step as the first successor that leads to the next state.</summary>
    List<TraceStep> TraceTo(Sighting at)
    {
        var path = new List<int>();
        for (int i = at.Parent; i >= 0; i = _store.Parent(i)) path.Add(i);
        path.Reverse();
        var trace = new List<TraceStep>();
        var successors = new List<Successor>();
        for (int n = 0; n < path.Count; n++)
        {
            successors.Clear();
            system.Successors(_store[path[n]], successors);
            var step = n + 1 < path.Count
                ? successors.First(s => s.State == _store[path[n + 1]])
                : successors[at.Ordinal];
            trace.Add(new TraceStep(step.Step, Enumerable.Range(0, system.PageCount).Select(p => system.Page(step.State, p)).ToArray()));
        }
        return trace;
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
