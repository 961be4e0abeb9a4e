using System.Diagnostics;
using System.Numerics;
using System.Text.RegularExpressions;
using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint bench</c>: a ladder of configurations, with cost per row, and SPIN's rate on one of them.</summary>
public sealed class BenchCommand : ICommand
{
    public string Name => "bench";
    public string Summary => "measure the checker on a ladder of configurations (and SPIN on one)";
    public string Help => """
        usage: pagehint bench [--full] [--rounds N] [--no-spin | --only-spin] [--json]

        Explores a ladder of configurations exhaustively (growing pages, vCPUs and host threads, cas granularity, the
        page-cache and any programs, one and all threads, symmetry) and prints per row: states, transitions, seconds,
        states/s, bytes/state (peak bytes of the store and level buffers over states), the process's peak memory during
        the row and threads.
        The default ladder takes about two minutes; --full adds larger rows, the largest of 228,670,000 states (about
        five minutes and 3 GiB on two cores). When spin and gcc are installed, one configuration is exported (pagehint
        export --promela) and explored by SPIN's compiled verifier beside ours, to the same state count: the one-page
        any model at cas with two host threads by default, the two-page any model with --full (SPIN needs 40 to 80 s
        and 1 GiB for it). --only-spin runs the
        comparison alone. When gcc is installed, the two-page any model is also searched by the C yardstick
        (bench/yardstick.c, built with gcc -O3 -march=native): a plain single-thread C breadth-first search of the same
        steps, which must count the same states and transitions. bench prints its time and pagehint's on one thread and
        on all, and the ratios (the yardstick's time over pagehint's: above 1 is faster than the C search).
        --rounds N (default 1, up to 21) repeats that comparison N times, interleaved, and prints the medians.
        --json writes one JSON document to stdout instead of the table (docs/json.md).
        """;

    sealed record Row(string Name, Configuration Config, int Threads, bool Symmetry = false);

    static readonly Configuration ThreePagesCas = Configuration.Standard["three-pages"] with { Granularity = Granularity.Cas };
    static readonly Configuration AnyOnePageCas = new() { Pages = 1, Program = ProgramKind.Any, Granularity = Granularity.Cas, HostThreads = 2 };
    static readonly Configuration AnyTwoPages = new() { Pages = 2, Program = ProgramKind.Any };

    static IEnumerable<Row> Ladder()
    {
        int all = Environment.ProcessorCount;
        yield return new("page-cache 1 page ×2", new Configuration { Pages = 1, Iterations = 2 }, all);
        yield return new("page-cache 2 pages", new Configuration { Pages = 2 }, all);
        yield return new("page-cache 2 pages cas", new Configuration { Pages = 2, Granularity = Granularity.Cas }, all);
        yield return new("page-cache 3 pages cas 2 vCPUs 2 hosts", ThreePagesCas, 1);
        yield return new("page-cache 3 pages cas 2 vCPUs 2 hosts", ThreePagesCas, all);
        yield return new("any 1 page cas 2 hosts", AnyOnePageCas, all);
        yield return new("any 2 pages", AnyTwoPages, 1);
        yield return new("any 2 pages", AnyTwoPages, all);
        yield return new("any 2 pages, symmetry", AnyTwoPages, all, Symmetry: true);
    }

    /// <summary>The rows --full adds; measured after SPIN's comparison, whose runs their gigabytes of heap would slow.</summary>
    static IEnumerable<Row> LargeRows()
    {
        int all = Environment.ProcessorCount;
        // The table's steps at cas need more state than 127 bits holds for three host threads, or two on four pages.
        yield return new("page-cache 4 pages cas 2 vCPUs 1 host", new Configuration { Pages = 4, Vcpus = 2, HostThreads = 1, Granularity = Granularity.Cas }, all);
        yield return new("page-cache 3 pages cas 3 vCPUs 2 hosts", new Configuration { Pages = 3, Vcpus = 3, HostThreads = 2, Granularity = Granularity.Cas }, all);
        yield return new("any 2 pages 3 vCPUs", AnyTwoPages with { Vcpus = 3 }, all);
        yield return new("any 2 pages 3 vCPUs, symmetry", AnyTwoPages with { Vcpus = 3 }, all, Symmetry: true);
    }

    static void Measure(Row row, TextWriter output, List<Action<System.Text.Json.Utf8JsonWriter>> rows)
    {
        var r = Search(row.Config, row.Threads, row.Symmetry);
        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        rows.Add(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", row.Name);
            w.WritePropertyName("configuration");
            row.Config.WriteJson(w);
            w.WriteBoolean("symmetry", row.Symmetry);
            w.WriteNumber("states", r.States);
            w.WriteNumber("transitions", r.Transitions);
            w.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
            w.WriteNumber("statesPerSecond", Math.Round(r.StatesPerSecond));
            w.WriteNumber("storedBytesPerState", Math.Round(r.StoredBytesPerState, 1));
            w.WriteNumber("peakBytesPerState", Math.Round(r.BytesPerState, 1));
            w.WriteNumber("processPeakBytes", peak);
            w.WriteNumber("threads", r.Threads);
            w.WriteEndObject();
        });
        output.WriteLine($"{row.Name,-42} {r.States,12:N0} {r.Transitions,14:N0} {r.Elapsed.TotalSeconds,8:F2} {r.StatesPerSecond,11:N0} {r.StoredBytesPerState,8:F1} {r.BytesPerState,7:F1} {Format.Bytes(peak),9} {r.Threads,3}");
    }

    /// <summary>Makes the process's peak resident memory start again from what it holds now (Linux: clear_refs 5), so
    /// that each row's peak is its own; elsewhere the peak is the process's so far.</summary>
    static void ResetPeakMemory()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        bool full = args.Flag("--full"), noSpin = args.Flag("--no-spin"), onlySpin = args.Flag("--only-spin");
        if (noSpin && onlySpin) throw new UsageException("--no-spin and --only-spin exclude each other");
        bool json = args.Flag("--json");
        int rounds = args.Int("--rounds", 1, 21) ?? 1;
        args.RejectUnknown();
        var clock = Stopwatch.StartNew();
        var report = output;
        if (json) output = TextWriter.Null;
        var rows = new List<Action<System.Text.Json.Utf8JsonWriter>>();
        output.WriteLine($"pagehint bench{(full ? " --full" : "")}: {Format.Count(Environment.ProcessorCount, "core")}, {Environment.OSVersion}, .NET {Environment.Version}");
        output.WriteLine($"{"configuration",-42} {"states",12} {"transitions",14} {"seconds",8} {"states/s",11} {"B/state",8} {"B/peak",7} {"peak mem",9} {"thr",3}");
        if (!onlySpin) foreach (var row in Ladder()) Measure(row, output, rows);
        var yardstick = onlySpin ? null : CompareWithYardstick(output, rounds);
        var spin = noSpin ? null : Spin(output, full);
        if (full && !onlySpin) foreach (var row in LargeRows()) Measure(row, output, rows);
        if (!json) return CommandLine.Ok;
        return JsonReport.Write(report, this, "measured", CommandLine.Ok, clock, w =>
        {
            w.WriteBoolean("full", full);
            w.WriteNumber("cores", Environment.ProcessorCount);
            w.WriteStartArray("rows");
            foreach (var row in rows) row(w);
            w.WriteEndArray();
            if (spin is { } s)
            {
                w.WriteStartObject("spin");
                w.WriteString("version", s.Version);
                w.WriteNumber("states", s.States);
                w.WriteNumber("seconds", Math.Round(s.Seconds, 3));
                w.WriteNumber("statesPerSecond", Math.Round(s.StatesPerSecond));
                w.WriteEndObject();
            }
            else w.WriteNull("spin");
            if (yardstick is { } y)
            {
                w.WriteStartObject("yardstick");
                w.WriteString("compiler", $"gcc {Yardstick.GccFlags}");
                w.WriteNumber("rounds", y.Rounds);
                w.WriteNumber("states", y.C.States);
                w.WriteNumber("transitions", y.C.Transitions);
                w.WriteNumber("seconds", Math.Round(y.C.Seconds, 3));
                w.WriteNumber("oneThreadSeconds", Math.Round(y.One, 3));
                w.WriteNumber("allThreadsSeconds", Math.Round(y.All, 3));
                w.WriteNumber("threads", Environment.ProcessorCount);
                w.WriteBoolean("countsAgree", y.CountsAgree);
                w.WriteEndObject();
            }
            else w.WriteNull("yardstick");
        });
    }

    /// <summary>The yardstick comparison's medians: the C search's run, and pagehint's search seconds on one thread and on all.</summary>
    sealed record YardstickMedians(int Rounds, Yardstick.Outcome C, double One, double All, bool CountsAgree);

    /// <summary>
    /// pagehint beside the C yardstick on the two-page any model: the yardstick, pagehint on one thread and on all,
    /// round after round, so that the drift of a shared machine falls on all three alike; medians over the rounds. Both
    /// times are of the search alone (pagehint's includes building its step table; the yardstick is handed it).
    /// </summary>
    static YardstickMedians? CompareWithYardstick(TextWriter output, int rounds)
    {
        if (!Yardstick.Available) { output.WriteLine("gcc not installed: no C yardstick (scripts/prereqs.sh installs it)"); return null; }
        var config = AnyTwoPages;
        int all = Environment.ProcessorCount;
        var dir = Directory.CreateTempSubdirectory("pagehint-yardstick").FullName;
        try
        {
            var model = new Interleavings(config, Model.Variants.Resolve(config.Variant));
            long states = new PageSearch(model, new SearchOptions { All = true, Threads = all }).Run().States;
            Yardstick.Build(dir, model);
            var c = new List<Yardstick.Outcome>();
            var one = new List<SearchResult>();
            var many = new List<SearchResult>();
            for (int r = 0; r < rounds; r++)
            {
                c.Add(Yardstick.Run(dir, states));
                one.Add(Search(config, 1));
                many.Add(Search(config, all));
            }
            var cMedian = c.OrderBy(x => x.Seconds).ElementAt(rounds / 2);
            double oneMedian = Median(one.Select(x => x.Elapsed.TotalSeconds)), allMedian = Median(many.Select(x => x.Elapsed.TotalSeconds));
            var ours = one[0];
            bool agree = c.All(x => x.States == ours.States && x.Transitions == ours.Transitions);
            output.WriteLine($"pagehint beside the C yardstick on {config}{(rounds > 1 ? $", medians of {rounds} rounds" : "")}:");
            output.WriteLine($"  C yardstick (gcc {Yardstick.GccFlags}), 1 thread    {cMedian.States,12:N0} states {cMedian.Seconds,7:F2} s {cMedian.StatesPerSecond,11:N0} states/s");
            foreach (var (threads, seconds) in new[] { (1, oneMedian), (all, allMedian) })
                output.WriteLine($"  pagehint, {Format.Count(threads, "thread"),-28} {ours.States,12:N0} states {seconds,7:F2} s {ours.States / Math.Max(seconds, 1e-3),11:N0} states/s  {cMedian.Seconds / Math.Max(seconds, 1e-3),5:F2}× C");
            if (!agree) output.WriteLine($"  COUNTS DIFFER: the yardstick {cMedian.States:N0} states, {cMedian.Transitions:N0} transitions; pagehint {ours.States:N0}, {ours.Transitions:N0}");
            return new YardstickMedians(rounds, cMedian, oneMedian, allMedian, agree);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>
    /// SPIN beside us on one exported configuration: the two-page any model with --full (SPIN takes about 45 s on it),
    /// else the one-page any model at cas with two host threads (about 10 s). Both search the same state space to the
    /// same count; both rates are of the search alone.
    /// </summary>
    static SpinRun.Outcome? Spin(TextWriter output, bool full)
    {
        if (!SpinRun.Available) { output.WriteLine("spin or gcc not installed: no SPIN comparison (scripts/prereqs.sh installs them)"); return null; }
        var config = full ? AnyTwoPages : AnyOnePageCas;
        var (_, spin) = SpinRun.ExportAndRun(new Interleavings(config, Model.Variants.Resolve(config.Variant)), Environment.ProcessorCount);
        // Measured after the export's own search, so that both of ours run on warm code, as SPIN's compiled verifier does.
        var all = Search(config, Environment.ProcessorCount);
        var one = Search(config, 1);
        output.WriteLine($"SPIN beside pagehint on {config}, the same exported model:");
        output.WriteLine($"  {spin.Version} (gcc -O2 -DSAFETY -DNOREDUCE, pan -m{spin.Depth} -w{spin.HashBits}): {spin.States,12:N0} states stored {spin.Seconds,7:F2} s {spin.StatesPerSecond,11:N0} states/s");
        foreach (var r in new[] { all, one })
            output.WriteLine($"  pagehint, {Format.Count(r.Threads, "thread"),-38} {r.States,12:N0} states        {r.Elapsed.TotalSeconds,7:F2} s {r.StatesPerSecond,11:N0} states/s  {r.StatesPerSecond / Math.Max(spin.StatesPerSecond, 1),5:F1}× SPIN");
        if (spin.States != all.States) output.WriteLine($"  STATE COUNTS DIFFER: SPIN {spin.States:N0}, pagehint {all.States:N0}");
        return spin;
    }

    /// <summary>An exhaustive search of a configuration on a fresh model, after a collection.</summary>
    static SearchResult Search(Configuration config, int threads, bool symmetry = false)
    {
        var system = new Interleavings(config, Model.Variants.Resolve(config.Variant));
        // Give the last search's memory back and start the peak again, so the peak of this search is its own.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ResetPeakMemory();
        return new PageSearch(system, new SearchOptions { All = true, Threads = threads, Symmetry = symmetry }).Run();
    }
}

/// <summary>
/// Runs SPIN's verifier on a Promela file as the cross-check prescribes: spin -a, gcc -O2 -DSAFETY -DNOREDUCE, pan with
/// a depth limit no search of <c>expectedStates</c> can reach and a hash table of at least twice as many slots.
/// </summary>
public static class SpinRun
{
    public sealed record Outcome(long States, int Errors, double Seconds, int Depth, int HashBits, string Output)
    {
        /// <summary>"SPIN 6.5.2", from pan's banner.</summary>
        public string Version => VersionNumber(Output) is { } v ? $"SPIN {v}" : "SPIN";

        public double StatesPerSecond => States / Math.Max(Seconds, 1e-3);
    }

    /// <summary>The version in SPIN's banner ("Spin Version 6.5.2 -- …", as spin -V and pan print it), e.g. 6.5.2; null if none.</summary>
    public static string? VersionNumber(string text) =>
        Regex.Match(text, @"Spin Version ([\d.]+)") is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Whether spin and gcc, which the cross-check needs, are on the PATH.</summary>
    public static bool Available => OnPath("spin") && OnPath("gcc");

    /// <summary>Whether <paramref name="command"/> is a file in a folder of the PATH.</summary>
    public static bool OnPath(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, command)));

    /// <summary>Exports <paramref name="system"/> (searching it exhaustively) to a temporary folder and runs SPIN's
    /// verifier on the model; the folder is deleted after.</summary>
    public static (SearchResult Ours, Outcome Spin) ExportAndRun(Interleavings system, int threads, bool checkAssertions = false)
    {
        var dir = Directory.CreateTempSubdirectory("pagehint-spin").FullName;
        try
        {
            var ours = ExportCommand.Export(system, Path.Combine(dir, "model.pml"), threads);
            return (ours, Run(dir, "model.pml", ours.States, checkAssertions));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <param name="checkAssertions">False runs pan -A, which ignores assertions and so counts the whole state space.</param>
    public static Outcome Run(string dir, string model, long expectedStates, bool checkAssertions = false)
    {
        Exec(dir, "spin", "-a", model);
        Exec(dir, "gcc", "-O2", "-DSAFETY", "-DNOREDUCE", "-o", "pan", "pan.c");
        // A depth-first path visits each state at most once, so a limit above the state count cuts nothing off.
        int depth = (int)Math.Min(int.MaxValue, expectedStates + 1000);
        // At least twice as many hash slots as states, so SPIN's table is no fuller than ours.
        int hashBits = Math.Clamp(65 - BitOperations.LeadingZeroCount((ulong)Math.Max(expectedStates, 1)), 10, 32);
        var arguments = new List<string> { $"-m{depth}", $"-w{hashBits}", "-E" };
        if (!checkAssertions) arguments.Add("-A");
        var clock = Stopwatch.StartNew();
        string text = Exec(dir, Path.Combine(dir, "pan"), [.. arguments]);
        clock.Stop();
        if (text.Contains("max search depth too small")) throw new UsageException($"SPIN's search was cut off at depth {depth}");
        var stored = Regex.Match(text, @"(\d+) states, stored");
        var errors = Regex.Match(text, @"errors: (\d+)");
        if (!stored.Success || !errors.Success) throw new UsageException($"SPIN printed no state count: {text.Split('\n').FirstOrDefault()}");
        var elapsed = Regex.Match(text, @"elapsed time ([\d.e+-]+) seconds");
        double seconds = elapsed.Success && double.TryParse(elapsed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? s : clock.Elapsed.TotalSeconds;
        return new Outcome(long.Parse(stored.Groups[1].Value), int.Parse(errors.Groups[1].Value), seconds, depth, hashBits, text);
    }

    /// <summary>Runs <paramref name="file"/> in <paramref name="dir"/> and returns its output; a failure is a usage error naming it.</summary>
    public static string Exec(string dir, string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new UsageException($"cannot run {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new UsageException($"{file} failed ({p.ExitCode}): {stderr.Split('\n').FirstOrDefault()}");
        return stdout.Result;
    }
}
