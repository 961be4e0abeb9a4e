using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Checker.Pictures;
using PageHintVerify.Engine.Distributed;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint check</c>: breadth-first exploration of every interleaving of a configuration.</summary>
public sealed class CheckCommand : ICommand
{
    public string Name => "check";
    public string Summary => "explore every guest/host interleaving and report invariant violations";
    public string Help => """
        usage: pagehint check [options]

        Explores, breadth-first, every interleaving of the guest vCPUs' and host threads' atomic steps from the initial
        state (all pages Uz, zero disk, want ⊥), checks I1-I5 on every state and step, and prints the shortest trace of
        a violation. A search that cannot finish (--max-memory, or SIGINT/Ctrl-C or SIGTERM, which it catches between
        chunks of a level) stops with the statistics of the levels it completed, marked partial, and one line on stderr
        saying why; a second signal ends it at once. With --checkpoint DIR such a stop, a crash or a kill leaves the
        checkpoint of the last level completed (or last written) in DIR, and --resume DIR finishes the search from there.
        Exit code 0: no violation; 1: violation found (also by a search that then stopped: a violation always wins);
        2: usage or input error, or the search outgrew --max-memory; 3: a silo of --cluster or --join was lost (the
        message names it and the level); 130 (SIGINT) or 143 (SIGTERM): stopped by a signal.

        configuration (defaults in brackets):
          --config FILE             a JSON configuration; options given beside it override its fields
          --standard NAME           a named standard configuration: one-page, two-pages, three-pages
          --variant V               reference | graph1 | graph2 | FILE with a digraph            [reference]
          --granularity G           atomic | naive | cas                                          [atomic]
          --pages N                 pages, 1 to 4                                                 [1]
          --vcpus N                 guest vCPUs, 1 to 4                                           [one per page]
          --host-threads N          host reclaim threads, 0 to 3                                  [1]
          --program P               page-cache | ignore-results | any                             [page-cache]
          --iterations N            passes of the page-cache loop per page, 1 to 7                [1]

        search:
          --all                     explore everything; report the shortest trace of every violated invariant
          --threads N               worker threads; results do not depend on it                   [all cores]
          --max-memory SIZE         the peak resident memory of the whole process, runtime        [16G]
                                    included (e.g. 512M, 4G); the search stops with partial statistics
                                    where it would pass it. A budget below what the process needs before
                                    it searches (about 70M: the runtime alone takes 40-60M) is refused.
          --symmetry                store one state per orbit of interchangeable vCPUs, pages and host threads
          --hash-compact            store 64-bit hash signatures, not states; prints the chance a state was missed
          --dot FILE                write the explored state graph as Graphviz DOT (at most 5,000 states)
          --save DIR                write each violation as a counterexample file in DIR (replay with pagehint replay)
          --coverage                after the search, report which edges of the protocol's table and which program
                                    points of each vCPU's program a complete search reaches (a second walk over
                                    the whole state space), and warn of each edge no run takes
          --html DIR                write each violation's shortest trace as an HTML page to step through in a browser
          --no-minimize             with --save: keep the shortest trace and configuration as found, unminimized
          --checkpoint DIR          write a checkpoint to DIR at the end of each level (a new or empty DIR): what
                                    --resume needs to finish the search after a stop, a crash or a kill
          --checkpoint-every SECS   write at most one checkpoint per SECS seconds (and at a stop)            [0]
          --resume DIR              go on from the checkpoint in DIR (and keep writing checkpoints there), with
                                    the same configuration and --all, --symmetry, --hash-compact as the run
                                    that wrote it; ends with the results of an uninterrupted run
          --quiet                   no progress lines on stderr
          --json                    write one JSON document to stdout instead of the text (docs/json.md)

        distributed (the same results, partitioned by state hash over Orleans silos, one partition per silo; README
        "Distributed search"):
          --cluster N               start N silos as processes on this machine (1 to 16), search, stop them; each
                                    silo gets --max-memory
          --join HOST:PORT          search on a running cluster (pagehint silo) through a silo's gateway
          with --checkpoint DIR each silo writes its partitions' files under DIR and the client the manifest; after
          a lost silo (exit 3), --resume DIR with as many silos in the same order goes on from the last checkpoint

        JSON configuration fields: pages, vcpus, hostThreads, program ("page-cache", "ignore-results", "any",
        "scripted"), variant, granularity, iterations, scripts (for "scripted": one list per vCPU of "operation page"
        strings, e.g. [["set_stable 0", "write(0) 0", "set_volatile(w=1) 0"]]), hostActions (what host threads may do,
        any of "evict unused", "swap out", "discard volatile", "discard potentially-volatile"; default all).
        Example: {"pages": 2, "granularity": "cas", "hostThreads": 1}
        """;

    public const int MaxDotStates = 5000;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        var config = ReadConfiguration(args);
        var search = new SearchOptions
        {
            All = args.Flag("--all"),
            Threads = args.Int("--threads", 1, 64) ?? Environment.ProcessorCount,
            Symmetry = args.Flag("--symmetry"),
            HashCompact = args.Flag("--hash-compact"),
        };
        long maxMemory = MaxMemory(args.Text("--max-memory"));
        search = search with { Checkpoint = Checkpoints.Options(args, config) };
        string? dot = args.Text("--dot");
        string? save = args.Text("--save");
        string? html = args.Text("--html");
        bool coverage = args.Flag("--coverage");
        bool minimize = !args.Flag("--no-minimize");
        bool quiet = args.Flag("--quiet");
        bool json = args.Flag("--json");
        int? cluster = args.Int("--cluster", 1, 16);
        string? join = args.Text("--join");
        args.RejectUnknown();
        if (cluster is not null && join is not null) throw new UsageException("give --cluster or --join, not both");
        // Parsed (and resolved) now, so that a bad address is refused before the search prints anything.
        var joinAt = join is null ? null : SiloCommand.Endpoint(join, "--join");
        if (!quiet) search = search with { Progress = errors };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = output;
        if (json) output = TextWriter.Null;

        var protocol = Model.Variants.Resolve(config.Variant);
        var system = new Interleavings(config, protocol);
        using var budget = MemoryBudget.Apply(maxMemory);
        SearchResult result;
        string? signal;
        using (var signals = new StopSignals())
        {
            var pageSearch = new PageSearch(system, search with { Cancellation = signals.Token });
            // A checkpoint to resume is read first: a bad one is refused before anything is written.
            try { pageSearch.LoadCheckpoint(distributed: cluster is not null || join is not null, cluster); }
            catch (CheckpointException e) { throw new InputException(e.File, e.Message); }
            if (dot is not null) WriteDot(system, search, dot);
            output.WriteLine($"checking {config} ({system.StateBits} bits of state)");
            try { result = cluster is null && join is null ? pageSearch.Run() : ClusterSearch.Run(pageSearch, config, search, cluster, join, joinAt, maxMemory, output); }
            catch (CheckpointException e) { throw new InputException(e.File, e.Message); }
            catch (SiloLostException e)
            {
                errors.WriteLine(CommandLine.Error(this, $"stopped: {e.Message}" +
                    Checkpoints.HowToResume(search.Checkpoint, search.Checkpoint is { } c ? Engine.Distributed.DistributedCheckpoint.Level(c.Directory) : null)));
                return SiloLostException.ExitCode;
            }
            catch (OutOfMemoryException)
            {
                // The search stops itself when memory runs out; what is left is rebuilding the shortest traces, which
                // only found violations need.
                errors.WriteLine(CommandLine.Error(this, $"stopped: a violation was found, but rebuilding its shortest trace ran out of memory (--max-memory {Format.Bytes(budget.Bytes)})"));
                return CommandLine.ViolationFound;
            }
            signal = signals.Received;
        }

        foreach (var v in result.Violations)
        {
            output.WriteLine();
            TraceTable.Write(output, system, v);
        }
        output.WriteLine();
        if (result.Symmetry)
            output.WriteLine(system.HasSymmetry
                ? "symmetry: one state per orbit of interchangeable vCPUs, pages and host threads (states below are representatives)"
                : "symmetry: this configuration has no interchangeable vCPUs, pages or host threads");
        if (search.HashCompact)
            output.WriteLine($"hash compaction: 64-bit signatures; probability that a state was missed ≤ {result.OmissionProbability:G3}");
        if (result.ResumedLevel is { } resumed) output.WriteLine($"resumed from the checkpoint of level {resumed} in {search.Checkpoint!.Directory}");
        output.WriteLine(SummaryLine(result));
        if (result.Distribution is not null) WriteDistribution(output, result);
        if (dot is not null) output.WriteLine($"state graph written to {dot}");
        var saved = save is null ? [] : CounterexampleSaver.Save(save, config, protocol, result.Violations, minimize, output);
        if (coverage) Coverage.Walk(system).Write(output, system);
        if (html is not null) TraceExplorer.WriteAll(html, config, protocol, result.Violations, output);
        if (result.StoppedBecause is not null)
            errors.WriteLine(CommandLine.Error(this, $"stopped: {result.StoppedBecause} ({signal ?? $"--max-memory {Format.Bytes(budget.Bytes)}"})"
                + Checkpoints.HowToResume(search.Checkpoint, result.CheckpointLevel)));
        // A violation found is a verdict whatever stopped the search after it.
        int exit = result.Violations.Count > 0 ? CommandLine.ViolationFound
            : signal is not null ? StopSignals.ExitCode(signal)
            : result.StoppedBecause is not null ? CommandLine.UsageError
            : CommandLine.Ok;
        if (!json) return exit;
        string verdict = result.Violations.Count > 0 ? "violation" : result.StoppedBecause is null ? "no violation" : "incomplete";
        return JsonReport.Write(report, this, verdict, exit, clock, w => WriteJson(w, config, system, search, result, saved));
    }

    static void WriteJson(System.Text.Json.Utf8JsonWriter w, Configuration config, Interleavings system, SearchOptions search,
        SearchResult result, IReadOnlyList<string> saved)
    {
        w.WritePropertyName("configuration");
        config.WriteJson(w);
        w.WriteStartObject("search");
        w.WriteBoolean("all", search.All);
        w.WriteNumber("threads", result.Threads);
        w.WriteBoolean("symmetry", result.Symmetry);
        w.WriteBoolean("hashCompact", search.HashCompact);
        w.WriteNumber("stateBits", system.StateBits);
        w.WriteEndObject();
        w.WriteStartObject("counts");
        w.WriteNumber("states", result.States);
        w.WriteNumber("transitions", result.Transitions);
        w.WriteNumber("depth", result.Depth);
        w.WriteBoolean("complete", result.Complete);
        if (result.StoppedBecause is { } why) w.WriteString("stoppedBecause", why); else w.WriteNull("stoppedBecause");
        if (search.HashCompact) w.WriteNumber("omissionProbability", result.OmissionProbability);
        w.WriteEndObject();
        w.WriteStartArray("violations");
        foreach (var v in result.Violations)
        {
            w.WriteStartObject();
            JsonReport.WriteInvariant(w, v.Invariant);
            JsonReport.WriteSteps(w, system, v.Trace.Select(RecordedStep.Of));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        JsonReport.WriteStrings(w, "saved", saved);
        w.WriteStartObject("searchCost");
        w.WriteNumber("seconds", Math.Round(result.Elapsed.TotalSeconds, 3));
        w.WriteNumber("statesPerSecond", Math.Round(result.StatesPerSecond));
        w.WriteNumber("peakBytes", result.PeakBytes);
        w.WriteNumber("storedBytesPerState", Math.Round(result.StoredBytesPerState, 1));
        if (result.Distribution is { } d)
        {
            w.WriteStartObject("distribution");
            w.WriteNumber("candidatesSent", d.CandidatesSent);
            w.WriteNumber("tagsSent", d.TagsSent);
            w.WriteNumber("payloadBytes", d.PayloadBytes);
            w.WriteStartArray("partitions");
            for (int p = 0; p < d.StatesPerPartition.Length; p++)
            {
                w.WriteStartObject();
                w.WriteNumber("states", d.StatesPerPartition[p]);
                if (result.Silos is { } silos)
                {
                    w.WriteString("silo", silos[p].Silo);
                    w.WriteNumber("siloPeakBytes", silos[p].PeakBytes);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>Writes the whole state graph, refusing (before any long search) a state space of more than
    /// <see cref="MaxDotStates"/> states.</summary>
    static void WriteDot(Interleavings system, SearchOptions search, string path)
    {
        var graph = new StringWriter();
        if (!Pictures.StateGraphDot.Write(graph, system, search, MaxDotStates))
            throw new UsageException($"--dot is for small runs: this configuration has more than {MaxDotStates:N0} states (run it without --dot)");
        try { File.WriteAllText(path, graph.ToString()); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, $"cannot write: {e.Message}"); }
    }

    public static string SummaryLine(SearchResult r)
    {
        string verdict = r.Violations.Count == 0
            ? (r.StoppedBecause is null ? "no violation" : "incomplete, no violation so far")
            : $"{Format.Count(r.Violations.Count, "invariant")} violated ({string.Join(", ", r.Violations.Select(v => v.Invariant.Id))})";
        string scope = r.Complete ? "" : r.StoppedBecause is null ? " (stopped at the first violation; --all explores everything)" : " (partial)";
        return $"{verdict}: {Format.Count(r.States, "state")}, {Format.Count(r.Transitions, "transition")}, depth {r.Depth}{scope}, " +
               $"{r.Elapsed.TotalSeconds:F2} s, {r.StatesPerSecond:N0} states/s, {r.StoredBytesPerState:F1} bytes/state stored ({r.BytesPerState:F1} at peak), " +
               Format.Count(r.Threads, r.Distribution is null ? "thread" : "partition");
    }

    /// <summary>What a distributed search sent between its partitions, and each partition's share, states per second
    /// and silo (with the peak memory of the silo's process).</summary>
    static void WriteDistribution(TextWriter output, SearchResult r)
    {
        var d = r.Distribution!;
        output.WriteLine($"sent between partitions: {Format.Count(d.CandidatesSent, "candidate")} ({DistributionCost.CandidateBytes} bytes each) " +
            $"and {Format.Count(d.TagsSent, "tag")} ({DistributionCost.TagBytes} bytes), {Format.Bytes(d.PayloadBytes)} of payload, " +
            $"{(double)d.PayloadBytes / Math.Max(r.States, 1):F1} bytes/state");
        double seconds = Math.Max(r.Elapsed.TotalSeconds, 1e-9);
        for (int p = 0; p < d.StatesPerPartition.Length; p++)
        {
            long owned = d.StatesPerPartition[p];
            string where = r.Silos is { } silos ? $" on {silos[p].Silo}, its peak memory {Format.Bytes(silos[p].PeakBytes)}" : "";
            output.WriteLine($"  partition {p}: {Format.Count(owned, "state")}, {owned / seconds:N0} states/s{where}");
        }
    }

    /// <summary>The budget when --max-memory is not given.</summary>
    public const long DefaultMaxMemory = 16L << 30;

    public static long MaxMemory(string? text)
    {
        if (text is null) return DefaultMaxMemory;
        return Format.TryParseBytes(text, out var bytes) ? bytes
            : throw new UsageException($"--max-memory takes a size such as 512M or 4G (got '{text}')");
    }

    /// <summary>A JSON file or a standard configuration first, then the options over it.</summary>
    public static Configuration ReadConfiguration(Arguments args)
    {
        string? file = args.Text("--config"), standard = args.Text("--standard");
        if (file is not null && standard is not null) throw new UsageException("give --config or --standard, not both");
        var c = file is not null ? Configuration.Load(file)
            : standard is not null ? (Configuration.Standard.TryGetValue(standard, out var s) ? s
                : throw new UsageException($"--standard takes one of {string.Join(", ", Configuration.Standard.Keys)} (got '{standard}')"))
            : new Configuration();
        var program = args.Choice("--program", Configuration.ProgramNames.Where(kv => kv.Value != ProgramKind.Scripted).ToDictionary());
        c = c with
        {
            Variant = args.Text("--variant") ?? c.Variant,
            Granularity = args.Choice("--granularity", Configuration.GranularityNames) ?? c.Granularity,
            Pages = args.Int("--pages", 1, Configuration.MaxPages) ?? c.Pages,
            Vcpus = args.Int("--vcpus", 1, Configuration.MaxVcpus) ?? c.Vcpus,
            HostThreads = args.Int("--host-threads", 0, Configuration.MaxHostThreads) ?? c.HostThreads,
            Program = program ?? c.Program,
            Iterations = args.Int("--iterations", 1, Configuration.MaxIterations) ?? c.Iterations,
        };
        return c.Validate();
    }
}
