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
    [InlineData("schema.json", "\"schema\": 1", "\"schema\": 3", "schema version 3 is not supported (expected 1 or 2)")]
    [InlineData("operation.json", "\"operation\": \"set_volatile(w=0)\"", "\"operation\": \"set_volatile_maybe\"", "step 7: unknown operation 'set_volatile_maybe'")]
    [InlineData("page.json", "\"operation\": \"read\", \"cell\": 0, \"phase\": \"whole\", \"page\": 0", "\"operation\": \"read\", \"cell\": 0, \"phase\": \"whole\", \"page\": 3", "step 13: field \"page\" must be 0 (got 3)")]
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
        Assert.Equal((3, ""), (code, errors));
        Assert.Equal($"{path}: diverges at step 13 (vcpu0 read(0) page 0): expected result old Sr, Ok, value 1; actual result old Sr, Ok, value 0\n",
            output.ReplaceLineEndings("\n"));
    }

    /// <summary>A value only a read shows, changed on a writeback: the message still tells expected from actual.</summary>
    [Fact]
    public void ADivergenceInAFieldTheStepDoesNotShowNamesThatField()
    {
        var path = Corrupt("value.json", "\"operation\": \"writeback\", \"phase\": \"whole\", \"page\": 0, \"result\": {\"old\": \"Sr\", \"outcome\": \"Ok\", \"value\": 0",
            "\"operation\": \"writeback\", \"phase\": \"whole\", \"page\": 0, \"result\": {\"old\": \"Sr\", \"outcome\": \"Ok\", \"value\": 2");
        var (code, output, _) = Run("replay", path);
        Assert.Equal(3, code);
        Assert.Equal($"{path}: diverges at step 6 (vcpu0 writeback page 0): expected result old Sr, Ok, value 2; actual result old Sr, Ok, value 0\n",
            output.ReplaceLineEndings("\n"));
    }

    /// <summary>A page that differs in bits no field shows (a recorded step built in code, not parsed) shows its bits.</summary>
    [Fact]
    public void PagesThatPrintAlikeButDifferShowTheirBits()
    {
        var c = CounterexampleFile.Read(Stored(NaiveI2));
        var first = c.Steps[0];
        var odd = new PageState(first.PagesAfter![0].Bits | 1u << 20);
        var replay = Checker.Exploration.Replay.Run(new Checker.Exploration.Interleavings(c.Configuration, Variants.Resolve(c.Configuration.Variant)),
            [first with { PagesAfter = [odd] }]);
        Assert.Equal("diverges at step 1 (vcpu0 set_stable load page 0): expected page 0 after it Uz d=0 mem=00 disk=00 want=⊥⊥ (bits 0x11e008); " +
            "actual Uz d=0 mem=00 disk=00 want=⊥⊥ (bits 0x1e008)", replay.Divergence!.ToString());
    }

    /// <summary>Exit code 1 means every file reproduced its violation (verify.sh relies on it): one divergence among
    /// reproducing files is 3, and wins over a malformed file (2).</summary>
    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(3, "diverges", "reproduces")]
    [InlineData(3, "diverges", "diverges")]
    [InlineData(3, "diverges", "malformed", "reproduces")]
    [InlineData(2, "malformed", "reproduces")]
    [InlineData(1, "reproduces", "reproduces")]
    public void ADivergenceNeverSharesAnExitCodeWithSuccess(int expected, params string[] kinds)
    {
        var files = kinds.Select((kind, i) => kind switch
        {
            "diverges" => Corrupt($"diverges{i}.json", "\"old\": \"Vr\", \"outcome\": \"Ok\", \"value\": 0, \"gap\": false}, \"pagesAfter\": [\"Sr",
                "\"old\": \"Vr\", \"outcome\": \"Failed\", \"value\": 0, \"gap\": false}, \"pagesAfter\": [\"Sr"),
            "malformed" => Write($"malformed{i}.json", "{"),
            _ => Stored(NaiveI2),
        }).ToArray();
        var (code, output, _) = Run(["replay", .. files]);
        Assert.Equal(expected, code);
        Assert.Equal(kinds.Count(k => k == "reproduces"), output.Split('\n').Count(l => l.Contains(": reproduces I2")));
    }

    /// <summary>Breaking the model on purpose makes the matching stored counterexample diverge at the step that uses the broken edge.</summary>
    [Theory]
    [InlineData(NaiveI2, "reference", "Vr", Operation.SetStableIfPresent, "Vr",
        "diverges at step 12 (vcpu0 set_stable_if_present store page 0): expected result old Vr, Ok; actual result old Vr, Failed")]
    [InlineData("graph2-I2-silent-read-discard-pv.json", "graph2", "Vz", Operation.Write, "Vz",
        "diverges at step 6 (vcpu0 write(1) page 0): expected result old Vz, ProtectionFault; actual result old Vz, DiscardFault")]
    [InlineData("naive-scripted-I1-data-loss-discard-pv.json", "reference", "Pr", Operation.HostReclaim, null,
        "diverges at step 8 (host0 discard potentially-volatile load page 0): expected this step to be enabled; actual enabled are only vcpu0 write(1) store-data page 0")]
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
        Assert.Equal((2, "pagehint replay: --svg, --dot and --html draw one file; give exactly one\n"), (code, errors.ReplaceLineEndings("\n")));
    }
}
