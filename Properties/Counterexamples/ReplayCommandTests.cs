using System.Xml.Linq;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Counterexamples;

public sealed class ReplayCommandTests() : CommandTests("pagehint-replay-")
{
    static string Stored(string name) => Path.Combine(CounterexampleFolderTests.Folder, name);

    const string NaiveI2 = "naive-I2-silent-read-discard-volatile.json";

    /// <summary>A copy of a stored counterexample with one textual change, in the temp folder.</summary>
    string Corrupt(string name, string from, string to)
    {
        var text = File.ReadAllText(Stored(NaiveI2));
        Assert.Contains(from, text);
        return Write(name, text.Replace(from, to));
    }

    [Fact]
    public void AReproducingFileSaysSoAndExitsOne()
    {
        var (code, output, errors) = Run("replay", Stored(NaiveI2));
        Assert.Equal((1, ""), (code, errors));
        Assert.Contains(": reproduces I2 no silent read of discarded content in 13 steps (reference, naive,", output);
    }

    [Theory]
    [InlineData("not-json.json", "\"steps\": [", "\"steps\": [[", "not valid JSON")]
    [InlineData("schema.json", "\"schema\": 1", "\"schema\": 2", "schema version 2 is not supported (expected 1)")]
    [InlineData("operation.json", "\"operation\": \"set_volatile(w=0)\"", "\"operation\": \"set_volatile_maybe\"", "step 7: unknown operation 'set_volatile_maybe'")]
    [InlineData("page.json", "\"operation\": \"read\", \"cell\": 0, \"phase\": \"whole\", \"page\": 0", "\"operation\": \"read\", \"cell\": 0, \"phase\": \"whole\", \"page\": 3", "step 13: page 3 out of range (pages 0..0)")]
    [InlineData("actor.json", "\"actor\": \"host0\"", "\"actor\": \"host7\"", "step 10: unknown actor 'host7' (this configuration has vcpu0, host0)")]
    [InlineData("invariant.json", "\"invariant\": \"I2\"", "\"invariant\": \"I9\"", "unknown invariant \"I9\"")]
    [InlineData("state.json", "[\"Vz d=0 mem=00 disk=10 want=1⊥\"]", "[\"Qz d=0 mem=00 disk=10 want=1⊥\"]", "step 11: page 0 after it: cannot parse 'Qz d=0")]
    public void AMalformedFileIsOneLineNamingItAndTheProblem(string name, string from, string to, string problem)
    {
        var path = Corrupt(name, from, to);
        var (code, output, errors) = Run("replay", path, Stored(NaiveI2));
        Assert.Equal(2, code);
        Assert.StartsWith($"pagehint replay: {path}: ", errors);
        Assert.Contains(problem, errors);
        Assert.Single(errors.TrimEnd().Split('\n'));
        Assert.Contains("reproduces", output); // the good file still ran
    }

    [Fact]
    public void AChangedResultIsADivergenceNamingTheStepExpectedAndActual()
    {
        var path = Corrupt("changed.json", "\"outcome\": \"Ok\", \"value\": 0, \"gap\": false}, \"pagesAfter\": [\"Sr d=0 mem=00 disk=10 want=1⊥\"]}\n",
            "\"outcome\": \"Ok\", \"value\": 1, \"gap\": false}, \"pagesAfter\": [\"Sr d=0 mem=00 disk=10 want=1⊥\"]}\n");
        var (code, output, errors) = Run("replay", path);
        Assert.Equal((0, ""), (code, errors));
        Assert.Equal($"{path}: diverges at step 13 (vcpu0 read(0) page 0): expected result old Sr, Ok, value 1; actual result old Sr, Ok, value 0\n",
            output.ReplaceLineEndings("\n"));
    }

    /// <summary>Breaking the model on purpose makes the matching stored counterexample diverge at the step that uses the broken edge.</summary>
    [Theory]
    [InlineData(NaiveI2, "reference", "Vr", Operation.SetStableIfPresent, "Vr",
        "diverges at step 12 (vcpu0 set_stable_if_present store page 0): expected result old Vr, Ok; actual result old Vr, Failed")]
    [InlineData("graph2-I2-silent-read-discard-pv.json", "graph2", "Vz", Operation.Write, "Vz",
        "diverges at step 6 (vcpu0 write(1) page 0): expected result old Vz, ProtectionFault; actual result old Vz, DiscardFault")]
    [InlineData("naive-scripted-I1-data-loss-discard-pv.json", "reference", "Pr", Operation.HostReclaim, null,
        "diverges at step 8 (host0 host reclaim load page 0): expected this step to be enabled; actual enabled are only vcpu0 write(1) store data page 0")]
    public void ABrokenModelFailsTheReplayReadably(string file, string variant, string from, Operation op, string? to, string message)
    {
        // The edge from (from, op) goes to `to` instead, or is gone when `to` is null.
        var edges = Variants.Resolve(variant).Edges.Where(e => !(e.From == from && e.Op == op));
        if (to is not null) edges = edges.Prepend(new Edge(from, op, to));
        var broken = new Protocol(variant + " with a broken edge", edges);
        var verdict = CounterexampleReplay.Run(CounterexampleFile.Read(Stored(file)), broken);
        Assert.False(verdict.Reproduces);
        Assert.Equal(message, verdict.Divergence!.ToString());
    }

    [Fact]
    public void CheckSaveWritesFilesThatReplayReproduces()
    {
        var config = Path.Combine(Graphs.SeedFiles.RepositoryRoot(), "configurations", "naive-v-discard-race.json");
        var (code, output, _) = Run("check", "--config", config, "--all", "--quiet", "--threads", "1", "--save", Dir);
        Assert.Equal(1, code);
        Assert.Contains($"I2: saved {Path.Combine(Dir, NaiveI2)}: 13 steps shortest by BFS, 13 minimized", output);
        var files = Directory.GetFiles(Dir).Order().ToArray();
        Assert.Equal(["naive-I1-data-loss-discard-volatile.json", NaiveI2], files.Select(Path.GetFileName));
        var replay = Run(["replay", .. files]);
        Assert.Equal((1, 2), (replay.Code, replay.Out.Split('\n').Count(l => l.Contains(": reproduces I"))));
        Assert.Equal(File.ReadAllText(Stored(NaiveI2)), File.ReadAllText(Path.Combine(Dir, NaiveI2)));
    }

    [Fact]
    public void AnUnminimizedPageCacheTraceReplaysThroughTheProgramsChoices()
    {
        // graph2's trace takes set_volatile(w=1) then writes: one of two choices with the same label.
        var (code, output, _) = Run("check", "--variant", "graph2", "--all", "--quiet", "--save", Dir, "--no-minimize");
        Assert.Equal(1, code);
        Assert.Contains("I2: saved", output);
        var c = CounterexampleFile.Read(Assert.Single(Directory.GetFiles(Dir, "graph2-I2-*.json")));
        Assert.Equal((Checker.Exploration.ProgramKind.PageCache, 8), (c.Configuration.Program, c.Steps.Count));
        Assert.True(CounterexampleReplay.Run(c).Reproduces);
    }

    [Fact]
    public void DrawsTheTraceAsAnSvgChartAndTheStatePathAsDot()
    {
        string svg = Path.Combine(Dir, "trace.svg"), dot = Path.Combine(Dir, "trace.dot");
        var (code, _, errors) = Run("replay", Stored(NaiveI2), "--svg", svg, "--dot", dot);
        Assert.Equal((1, ""), (code, errors));
        var chart = XDocument.Load(svg);
        var texts = chart.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains("vcpu0", texts);
        Assert.Contains("host0", texts);
        Assert.Contains("page 0", texts);
        Assert.Contains("discard volatile store: old Vr, ok", texts);
        Assert.Contains("✖ step 13 violates I2 no silent read of discarded content", texts);
        var graph = File.ReadAllText(dot);
        Assert.StartsWith("digraph trace {", graph);
        Assert.Contains("-> p0s13 [label=\"13: vcpu0 read(0)\\nold Sr, returns 0\", color=red, fontcolor=red]", graph);
    }

    [Fact]
    public void SvgNeedsExactlyOneFile()
    {
        var (code, _, errors) = Run("replay", Stored(NaiveI2), Stored(NaiveI2), "--svg", Path.Combine(Dir, "x.svg"));
        Assert.Equal((2, "pagehint replay: --svg and --dot draw one file; give exactly one\n"), (code, errors.ReplaceLineEndings("\n")));
    }
}
