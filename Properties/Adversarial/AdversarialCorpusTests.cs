using System.Text.Json;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Adversarial;

/// <summary>
/// Hundreds of generated hostile inputs of every class a user can write — protocol graphs, configurations,
/// counterexample files, command lines — and a few hostile files (a device that never ends, a directory, a FIFO, a
/// gigabyte). Each must either work or be refused in one printable line with exit code 2: no exception escaping
/// <see cref="CommandLine.Run"/>, no stack trace, no hang, no other exit code than those documented. Mutants are
/// generated from fixed seeds, so a failure names the case that reproduces it. <c>PAGEHINT_CORPUS=N</c> sets how many
/// mutants each class gets (default 200).
/// </summary>
[Trait("Category", "Adversarial")]
[Trait("Category", "Slow")]
public sealed class AdversarialCorpusTests : CommandTests
{
    public AdversarialCorpusTests() : base("pagehint-corpus-") { }

    static readonly int PerClass = int.TryParse(Environment.GetEnvironmentVariable("PAGEHINT_CORPUS"), out var n) && n > 0 ? n : 200;

    /// <summary>A hostile input runs at most this long: longer is a hang (no run in the corpus needs more than a few seconds).</summary>
    static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(60);

    static readonly int[] Documented = [CommandLine.Ok, CommandLine.ViolationFound, CommandLine.UsageError, 3];

    readonly List<string> _problems = [];
    int _accepted; // runs that got past reading (exit 0, 1 or 3): a corpus refused whole would test only the first check

    /// <summary>Runs one case and records what is wrong with its outcome, if anything.</summary>
    void Judge(string name, string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = -1;
        Exception? escaped = null;
        var run = Task.Run(() =>
        {
            try { code = CommandLine.Run(args, output, errors); }
            catch (Exception e) { escaped = e; }
        });
        string what = $"{name}: pagehint {string.Join(' ', args.Select(Show))}";
        if (!run.Wait(HangAfter)) { _problems.Add($"{what}: still running after {HangAfter.TotalSeconds} s"); return; }
        string err = errors.ToString();
        if (escaped is not null) { _problems.Add($"{what}: {escaped.GetType().Name} escaped: {Show(escaped.Message)}"); return; }
        if (!Documented.Contains(code)) _problems.Add($"{what}: exit code {code}");
        if (code is CommandLine.Ok or CommandLine.ViolationFound or 3) _accepted++; // 3: replay ran and diverged
        if (err.Contains("   at ") || output.ToString().Contains("   at ")) _problems.Add($"{what}: a stack trace: {Show(err)}");
        if (code == CommandLine.UsageError)
        {
            var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length != 1) _problems.Add($"{what}: exit 2 with {lines.Length} lines on stderr: {Show(err)}");
            else if (lines[0].Any(c => char.IsControl(c) && c != '\r')) _problems.Add($"{what}: a control character in the error: {Show(err)}");
        }
    }

    void AssertNoProblems(int cases, int minimumAccepted = 1)
    {
        Assert.True(_accepted >= minimumAccepted, $"only {_accepted} of {cases} mutants were accepted: the corpus is too hostile to reach past parsing");
        Assert.True(_problems.Count == 0,
            $"{_problems.Count} of {cases} hostile inputs misbehaved:\n" + string.Join("\n", _problems.Take(25)));
    }

    static string Show(string s) => JsonSerializer.Serialize(s.Length > 300 ? s[..300] + "…" : s);

    static string RepoFile(params string[] parts) => Path.Combine([SeedFiles.RepositoryRoot(), .. parts]);

    [Fact]
    public void ProtocolGraphs()
    {
        var seeds = new[]
        {
            Variants.BundledText("graph1"), Variants.BundledText("graph2"),
            "digraph g {\n  Uz -> Sz [label=\"set stable\"]\n  Sr -> Sp [label=\"host swap\"]\n  Sr -> Sz [label=\"host swap\"]\n}\n",
        };
        var mutants = new Mutants(13);
        for (int i = 0; i < PerClass; i++)
        {
            var seed = mutants.Pick(seeds);
            var path = Write($"graph{i}.dot", mutants.Next(2) == 0 ? mutants.EditLines(seed) : mutants.Edit(seed));
            Judge($"graph {i}", ["analyze", path]);
            Judge($"graph {i}", ["check", "--variant", path, "--quiet", "--threads", "1"]);
        }
        AssertNoProblems(2 * PerClass, minimumAccepted: PerClass / 10);
    }

    [Fact]
    public void Configurations()
    {
        var seeds = new[]
        {
            File.ReadAllText(RepoFile("configurations", "naive-p-discard-race.json")),
            """{"pages": 2, "vcpus": 2, "hostThreads": 1, "program": "page-cache", "variant": "graph2", "granularity": "naive", "iterations": 1}""",
            """{"pages": 1, "program": "scripted", "scripts": [["set_stable 0", "write(0) 0"], ["read(0) 0"]], "hostActions": ["swap out", "discard volatile"]}""",
            """{"pages": 1, "program": "ignore-results", "granularity": "cas", "hostThreads": 2}""",
        };
        var mutants = new Mutants(17);
        int runs = 0;
        for (int i = 0; i < PerClass; i++)
        {
            var seed = mutants.Pick(seeds);
            var text = mutants.Next(4) == 0 ? mutants.Edit(seed) : mutants.SwapJsonValue(mutants.Next(3) == 0 ? mutants.SwapJsonValue(seed) : seed);
            var path = Write($"config{i}.json", text);
            if (!Small(path)) continue; // a valid mutant can be a huge state space: what matters here is reading it
            runs++;
            Judge($"configuration {i}", ["check", "--config", path, "--quiet", "--threads", "1"]);
        }
        Assert.True(runs > PerClass / 2, $"only {runs} of {PerClass} configuration mutants were run");
        AssertNoProblems(runs, minimumAccepted: runs / 10);
    }

    /// <summary>Whether a configuration is refused, or small enough to search in well under a second.</summary>
    static bool Small(string path)
    {
        try
        {
            var c = Configuration.Load(path);
            return c.Program != ProgramKind.Any && c.Pages * c.VcpuCount <= 4 && c.HostThreads <= 2 && c.Iterations <= 2;
        }
        catch (UsageException) { return true; }
        catch (ModelInputException) { return true; }
        catch (Exception) { return true; } // a crash in the loader: let the command line show it
    }

    [Fact]
    public void CounterexampleFiles()
    {
        var seeds = Directory.GetFiles(RepoFile("counterexamples"), "*.json").Order().Select(File.ReadAllText).ToArray();
        var mutants = new Mutants(19);
        for (int i = 0; i < PerClass; i++)
        {
            var seed = mutants.Pick(seeds);
            var text = mutants.Next(4) == 0 ? mutants.Edit(seed) : mutants.SwapJsonValue(seed);
            Judge($"counterexample {i}", ["replay", Write($"cx{i}.json", text)]);
        }
        AssertNoProblems(PerClass, minimumAccepted: PerClass / 20);
    }

    [Fact]
    public void CommandLines()
    {
        var graph = Write("g.dot", Variants.BundledText("graph2"));
        var config = Write("c.json", """{"pages": 1, "granularity": "naive"}""");
        var cx = Directory.GetFiles(RepoFile("counterexamples"), "*.json").Order().First();
        string[] commands = ["analyze", "check", "check", "check", "replay", "export", "help", "--help", "-h", "nope", "", "check\n", "prove"];
        string[] options =
        [
            "--pages", "--vcpus", "--host-threads", "--iterations", "--program", "--granularity", "--variant", "--config",
            "--standard", "--all", "--quiet", "--threads", "--max-memory", "--symmetry", "--hash-compact", "--dot", "--save",
            "--no-minimize", "--promela", "--trace", "--svg", "--help", "--bogus", "-p", "--", "-", "--pages=1", "--quiet=1",
        ];
        string[] values =
        [
            "1", "2", "0", "-1", "9", "2147483648", "1.5", "x", "", " ", "\n", "\u001b", "any", "page-cache", "ignore-results", "scripted",
            "atomic", "naive", "cas", "reference", "graph1", "graph2", "one-page", "two-pages", "64M", "1M", "0M", "1T", "-5G", "9999999999G",
            graph, config, cx, "/dev/zero", "/dev/null", "/", "/nonexistent/file", Dir, Path.Combine(Dir, "out"), new string('9', 400),
        ];
        var mutants = new Mutants(23);
        for (int i = 0; i < PerClass; i++)
        {
            var args = new List<string> { mutants.Pick(commands) };
            if (args[0] == "prove" && mutants.Next(8) != 0) args[0] = "analyze"; // Z3 takes a second or two: a few proofs suffice
            for (int k = mutants.Next(5); k > 0; k--)
            {
                if (mutants.Next(5) == 0) { args.Add(mutants.Pick(values)); continue; }
                args.Add(mutants.Pick(options));
                if (mutants.Next(4) != 0) args.Add(mutants.Pick(values));
            }
            if (args[0] == "check" && !args.Contains("--quiet")) args.Add("--quiet");
            Bound(args);
            Judge($"command line {i}", [.. args]);
        }
        AssertNoProblems(PerClass);
    }

    /// <summary>Keeps generated searches small: the any program on one page, at most two pages, one iteration.</summary>
    static void Bound(List<string> args)
    {
        for (int i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] is "--pages" or "--vcpus" && args[i + 1] is not ("1" or "2")) continue;
            if (args[i] is "--pages" && args.Contains("any")) args[i + 1] = "1";
            if (args[i] is "--iterations" or "--host-threads" && int.TryParse(args[i + 1], out var v) && v > 1) args[i + 1] = "1";
            if (args[i] is "--standard") args[i + 1] = args[i + 1] == "three-pages" ? "one-page" : args[i + 1];
        }
        if (args.Contains("any") && !args.Contains("--pages")) { args.Add("--pages"); args.Add("1"); }
    }

    [Fact]
    public void HostileFiles()
    {
        var fifo = Path.Combine(Dir, "fifo");
        using (var mk = global::System.Diagnostics.Process.Start("mkfifo", [fifo])) mk!.WaitForExit();
        var huge = Path.Combine(Dir, "huge");
        using (var f = File.Create(huge)) f.SetLength(1L << 30); // sparse: a gigabyte of zeros on disk for free
        string[] files = ["/dev/zero", "/dev/urandom", Dir, huge, "", "/nonexistent/x", "/proc/self/mem"];
        int cases = 0;
        foreach (var file in files)
        {
            Judge($"hostile file {Show(file)}", ["check", "--config", file, "--quiet"]);
            Judge($"hostile file {Show(file)}", ["check", "--variant", file, "--quiet"]);
            Judge($"hostile file {Show(file)}", ["analyze", file]);
            Judge($"hostile file {Show(file)}", ["replay", file]);
            cases += 4;
        }
        foreach (var kind in new[] { "--config", "--variant" })
        {
            Judge("a FIFO with no writer", ["check", kind, fifo, "--quiet"]);
            cases++;
        }
        ReleaseReaders(fifo);
        AssertNoProblems(cases, minimumAccepted: 0);
    }

    /// <summary>Opens the FIFO for writing once, so the threads still blocked opening it for reading return.</summary>
    static void ReleaseReaders(string fifo) =>
        Task.Run(() => { using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write); }).Wait(TimeSpan.FromSeconds(2));
}
