using System.Security.Cryptography;
using System.Text;
using PageHintVerify.Engine;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Counterexamples;

/// <summary>
/// Counterexample files: every field, given a wrong value, is one line naming the file and the field (and the step);
/// a graph variant's digraph travels in the file, so it replays from any folder; a file is written whole or not at all.
/// </summary>
public sealed class CounterexampleInputTests() : CommandTests("pagehint-cex-")
{
    const string NaiveI2 = "naive-I2-silent-read-discard-volatile.json";

    static string Stored(string name) => File.ReadAllText(Path.Combine(CounterexampleFolderTests.Folder, name));

    /// <summary>A stored graph 2 file as schema 1 wrote it: no embedded graph (the files on disk are schema 2 now).</summary>
    static string OldGraph2File() =>
        string.Join('\n', ReplaceFirst(Stored("graph2-I1-data-loss-discard-pv.json"), "\"schema\": 2", "\"schema\": 1")
            .Split('\n').Where(line => !line.StartsWith("  \"graph\": ", StringComparison.Ordinal)));

    static string ReplaceFirst(string text, string from, string to)
    {
        int at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0, $"no {from} in the file");
        return text[..at] + to + text[(at + from.Length)..];
    }

    [Theory]
    [InlineData("\"schema\": 1", "\"schema\": null", "schema version null is not supported (expected 1 or 2)")]
    [InlineData("\"schema\": 1", "\"schema\": 1.5", "schema version 1.5 is not supported (expected 1 or 2)")]
    [InlineData("\"invariant\": \"I2\"", "\"invariant\": 2", "field \"invariant\" has the wrong type: expected a string, got the number 2")]
    [InlineData("\"invariant\": \"I2\"", "\"invariant\": \"I2\", \"invariant\": \"I1\"", "field \"invariant\" given twice")]
    [InlineData("\"shortestSteps\": 13", "\"shortestSteps\": 1.5", "field \"shortestSteps\" must be a whole number from 13 to 2147483647 (got 1.5)")]
    [InlineData("\"shortestSteps\": 13", "\"shortestSteps\": -13", "field \"shortestSteps\" must be a whole number from 13 to 2147483647 (got -13)")]
    [InlineData("\"shortestSteps\": 13", "\"shortestSteps\": 12", "field \"shortestSteps\" must be a whole number from 13 to 2147483647 (got 12)")]
    [InlineData("\"shortestSteps\": 13", "\"shortestSteps\": \"13\"", "field \"shortestSteps\" has the wrong type")]
    [InlineData("\"configuration\": {\"pages\": 1,", "\"configuration\": {\"pages\": 1.5,", "configuration: field \"pages\" must be a whole number from 1 to 4 (got 1.5)")]
    [InlineData("\"hostActions\": [\"discard volatile\"]", "\"hostActions\": null", "configuration: field \"hostActions\" has the wrong type")]
    [InlineData("\"steps\": [\n    {", "\"steps\": [\n    null, {", "step 1: expected a JSON object { ... }, got null")]
    [InlineData("{\"actor\": \"vcpu0\"", "{\"actor\": null", "step 1: field \"actor\" has the wrong type: expected a string, got null")]
    [InlineData("{\"actor\": \"vcpu0\"", "{\"actor\": \"vcpu0\\n\"", "step 1: unknown actor \"vcpu0\\n\"")]
    [InlineData("\"operation\": \"set_stable\"", "\"operation\": [\"set_stable\"]", "step 1: field \"operation\" has the wrong type: expected a string, got a list")]
    [InlineData("\"phase\": \"load\"", "\"phase\": 0", "step 1: field \"phase\" has the wrong type: expected a string, got the number 0")]
    [InlineData("\"page\": 0", "\"page\": 0.5", "step 1: field \"page\" must be 0 (got 0.5)")]
    [InlineData("\"page\": 0", "\"page\": 1e12", "step 1: field \"page\" must be 0 (got 1e12)")]
    [InlineData("\"page\": 0", "\"page\": \"0\"", "step 1: field \"page\" has the wrong type: expected 0, got a string")]
    [InlineData("\"cell\": 0", "\"cell\": null", "step 3: field \"cell\" has the wrong type: expected a whole number from 0 to 1, got null")]
    [InlineData("\"cell\": 0", "\"cell\": 2", "step 3: field \"cell\" must be a whole number from 0 to 1 (got 2)")]
    [InlineData("\"old\": \"Uz\"", "\"old\": null", "step 1: result: field \"old\" has the wrong type: expected a string, got null")]
    [InlineData("\"outcome\": \"Ok\"", "\"outcome\": \"1\"", "step 1: result: unknown outcome '1'")]
    [InlineData("\"value\": 0", "\"value\": 1e12", "step 1: result: field \"value\" must be a whole number from 0 to 2 (got 1e12)")]
    [InlineData("\"value\": 0", "\"value\": 0.5", "step 1: result: field \"value\" must be a whole number from 0 to 2 (got 0.5)")]
    [InlineData("\"gap\": false", "\"gap\": 0", "step 1: result: field \"gap\" has the wrong type: expected true or false, got the number 0")]
    [InlineData("\"pagesAfter\": [\"Uz", "\"pagesAfter\": [null, \"Uz", "step 1: field \"pagesAfter\" item 1 has the wrong type: expected a string, got null")]
    [InlineData("\"pagesAfter\": [\"Uz", "\"pagesAfter\": [\"Uz d=0 mem=00 disk=00 want=⊥⊥\", \"Uz", "step 1: field \"pagesAfter\" must list 1 page state (got 2)")]
    [InlineData("\"pagesAfter\": [\"Uz", "\"pagesAfter\": [\"\\u0000Uz", "step 1: page 0 after it: cannot parse \"\\u0000Uz d=0")]
    public void AWrongFieldIsOneLineNamingTheFileTheStepAndTheField(string from, string to, string message) =>
        RefusedInOneLine(ReplaceFirst(Stored(NaiveI2), from, to), message);

    /// <summary>A whole value replaced: <paramref name="pattern"/> is a regular expression, its first match replaced.</summary>
    [Theory]
    [InlineData("\"foundBy\": \"[^\"]*\"", "\"foundBy\": null", "field \"foundBy\" has the wrong type: expected a string, got null")]
    [InlineData("\"configuration\": \\{.*\\},", "\"configuration\": null,", "configuration: expected a JSON object { ... }, got null")]
    [InlineData("\"steps\": \\[(.|\\n)*\\]", "\"steps\": {}", "field \"steps\" has the wrong type: expected a list of steps, got an object")]
    [InlineData("\"steps\": \\[(.|\\n)*\\]", "\"steps\": []", "field \"steps\" must list at least one step")]
    [InlineData("\"result\": \\{[^}]*\\}", "\"result\": []", "step 1: result: expected a JSON object { ... }, got a list")]
    [InlineData("\"pagesAfter\": \\[[^\\]]*\\]", "\"pagesAfter\": null", "step 1: field \"pagesAfter\" has the wrong type: expected a list of strings, got null")]
    public void AWrongValueOfAWholeFieldIsOneLine(string pattern, string to, string message) =>
        RefusedInOneLine(new System.Text.RegularExpressions.Regex(pattern).Replace(Stored(NaiveI2), to, 1), message);

    void RefusedInOneLine(string json, string message)
    {
        var path = Write("bad.json", json);
        var (code, _, errors) = Run("replay", path);
        Assert.Equal(2, code);
        Assert.StartsWith($"pagehint replay: {path}: {message}", Assert.Single(errors.TrimEnd().Split('\n')));
    }

    [Fact]
    public void AHugeOrEndlessFileIsRefusedNamingIt()
    {
        var path = Path.Combine(Dir, "huge.json");
        using (var f = File.Create(path)) f.SetLength(1L << 30);
        var e = Assert.Throws<InputException>(() => CounterexampleFile.Read(path));
        Assert.Equal($"{path}: larger than 16 MiB, more than any input of pagehint: not read", e.Message);
        if (File.Exists("/dev/zero")) Assert.Throws<InputException>(() => CounterexampleFile.Read("/dev/zero"));
    }

    /// <summary>A graph variant from the user's own file: saved with the digraph embedded, it replays after the file is gone.</summary>
    [Fact]
    public void AUsersGraphTravelsInTheFile()
    {
        var dot = Write("mine.dot", "prose before\n" + Variants.BundledText("graph2") + "\nand after\n");
        var saved = Path.Combine(Dir, "saved");
        var (code, output, _) = Run("check", "--variant", dot, "--quiet", "--save", saved);
        Assert.Equal(1, code);
        Assert.Contains("I1: saved", output);
        var file = Assert.Single(Directory.GetFiles(saved));
        Assert.Equal("mine-I1-data-loss-discard-pv.json", Path.GetFileName(file));
        var c = CounterexampleFile.Read(file);
        Assert.Equal(Variants.BundledText("graph2"), c.Graph);
        Assert.Contains("\"schema\": 2,", File.ReadAllText(file));

        File.Delete(dot);
        var elsewhere = Directory.CreateDirectory(Path.Combine(Dir, "elsewhere")).FullName;
        File.Move(file, Path.Combine(elsewhere, "copy.json"));
        var replay = Run("replay", Path.Combine(elsewhere, "copy.json"));
        Assert.Equal((1, ""), (replay.Code, replay.Err));
        Assert.Contains("reproduces I1", replay.Out);
    }

    [Fact]
    public void ABundledGraphIsEmbeddedTooAndAnEditOfItIsCaughtByItsHash()
    {
        var saved = Path.Combine(Dir, "saved");
        Assert.Equal(1, Run("check", "--variant", "graph2", "--quiet", "--save", saved).Code);
        var file = Assert.Single(Directory.GetFiles(saved));
        Assert.Equal(Variants.BundledText("graph2"), CounterexampleFile.Read(file).Graph);

        var edited = Write("edited.json", ReplaceFirst(File.ReadAllText(file), "host swap", "host  swap"));
        var e = Assert.Throws<InputException>(() => CounterexampleFile.Read(edited));
        Assert.Matches("^.*edited.json: graph: the text's SHA-256 is [0-9a-f]{64}, not the recorded \"[0-9a-f]{64}\": the embedded graph was changed$", e.Message);
    }

    [Fact]
    public void AnEmbeddedGraphThatDoesNotParseIsNamedWithItsLine()
    {
        const string text = "digraph {\n Ur -> Pp [label=\"set stable\"]\n}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        var json = ReplaceFirst(ReplaceFirst(OldGraph2File(), "\"schema\": 1", "\"schema\": 2"),
            "\"steps\": [", $"\"graph\": {{\"sha256\": \"{hash}\", \"text\": \"{text.Replace("\n", "\\n").Replace("\"", "\\\"")}\"}},\n  \"steps\": [");
        var e = Assert.Throws<InputException>(() => CounterexampleFile.Parse("g.json", json));
        Assert.StartsWith("g.json: graph:2: Pp is not a valid page state", e.Message);
    }

    [Theory]
    [InlineData("graph2-I1-data-loss-discard-pv.json", 2, false, "missing field \"graph\": a schema 2 counterexample of a graph variant carries its digraph")]
    [InlineData(NaiveI2, 1, true, "field \"graph\" is new in schema 2 (this file says schema 1)")]
    [InlineData(NaiveI2, 2, true, "field \"graph\" is for graph variants (the variant is reference)")]
    public void TheGraphIsThereExactlyWhenTheSchemaAndVariantNeedIt(string file, int schema, bool graph, string message)
    {
        var json = ReplaceFirst(file.StartsWith("graph2") ? OldGraph2File() : Stored(file), "\"schema\": 1", $"\"schema\": {schema}");
        if (graph) json = ReplaceFirst(json, "\"steps\": [", "\"graph\": {\"sha256\": \"\", \"text\": \"\"}, \"steps\": [");
        var e = Assert.Throws<InputException>(() => CounterexampleFile.Parse("x.json", json));
        Assert.Equal($"x.json: {message}", e.Message);
    }

    /// <summary>A file from before schema 2 whose variant is a path finds it from its own folder, as a configuration does.</summary>
    [Fact]
    public void AnOldFileFindsARelativeVariantFromItsFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Dir, "old")).FullName;
        File.WriteAllText(Path.Combine(folder, "mine.dot"), Variants.BundledText("graph2"));
        var path = Path.Combine(folder, "old.json");
        File.WriteAllText(path, OldGraph2File().Replace("\"variant\": \"graph2\"", "\"variant\": \"mine.dot\""));
        var c = CounterexampleFile.Read(path);
        Assert.Equal(Path.Combine(folder, "mine.dot"), c.Configuration.Variant);
        Assert.True(CounterexampleReplay.Run(c).Reproduces);
        File.Delete(Path.Combine(folder, "mine.dot"));
        var e = Assert.Throws<InputException>(() => CounterexampleFile.Read(path));
        Assert.Equal($"{path}: variant: {folder}/mine.dot: cannot read it (no such file): expected reference, graph1, graph2 or a file holding a digraph", e.Message);
    }

    [Fact]
    public void WritingReplacesTheFileWholeAndLeavesNothingBeside()
    {
        var c = CounterexampleFile.Read(Path.Combine(CounterexampleFolderTests.Folder, NaiveI2));
        var path = Write("c.json", "an older file");
        CounterexampleFile.Write(path, c);
        Assert.Equal(Stored(NaiveI2), File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(Dir));

        var folderInTheWay = Directory.CreateDirectory(Path.Combine(Dir, "in-the-way.json")).FullName;
        var e = Assert.Throws<InputException>(() => CounterexampleFile.Write(folderInTheWay, c));
        Assert.StartsWith($"{folderInTheWay}: cannot write: ", e.Message);
        Assert.Equal([path], Directory.GetFiles(Dir));
    }

    /// <summary>
    /// The saver replays what it would write: a graph file that no longer draws the protocol the search ran (edited
    /// during the search) is refused, and nothing is written.
    /// </summary>
    [Fact]
    public void TheSaverRefusesACounterexampleThatWouldNotReproduce()
    {
        var dot = Write("changed.dot", Variants.BundledText("graph1"));
        var config = new Configuration { Variant = dot };
        var searched = Variants.Resolve("graph2");
        var result = new PageSearch(new Interleavings(config, searched), new SearchOptions { Threads = 1 }).Run();
        var saved = Path.Combine(Dir, "saved");
        var e = Assert.Throws<InputException>(() => CounterexampleSaver.Save(saved, config, searched, result.Violations, minimize: true, TextWriter.Null));
        Assert.Contains("not saved: the file would not reproduce the violation (diverges at step", e.Message);
        Assert.Empty(Directory.GetFiles(saved));
    }
}
