using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>Every field of a configuration file, given a wrong value, is refused with one line naming the file and the field.</summary>
public sealed class ConfigurationInputTests() : CommandTests("pagehint-config-")
{
    const string Script = "\"program\": \"scripted\", \"scripts\": [[\"set_stable 0\", \"write(0) 0\"]]";

    [Theory]
    [InlineData("{\"hostActions\": null}", "field \"hostActions\" has the wrong type: expected a list of host actions, got null")]
    [InlineData("{\"hostActions\": [null]}", "field \"hostActions\" item 1 has the wrong type: expected a string, got null")]
    [InlineData("{\"hostActions\": \"swap out\"}", "field \"hostActions\" has the wrong type: expected a list of host actions, got a string")]
    [InlineData("{\"hostActions\": [\"nap\"]}", "hostActions: unknown host action \"nap\"")]
    [InlineData("{\"hostActions\": []}", "hostActions is empty: host threads that may do nothing; for no host thread give hostThreads 0")]
    [InlineData("{\"hostActions\": [\"swap out\", \"evict unused\", \"swap out\"]}", "hostActions names \"swap out\" twice")]
    [InlineData("{\"program\": \"scripted\", \"scripts\": [null]}", "field \"scripts\" item 1 has the wrong type: expected a list of strings, got null")]
    [InlineData("{\"program\": \"scripted\", \"scripts\": [[\"set_stable 0\", null]]}", "field \"scripts\" item 1 item 2 has the wrong type: expected a string, got null")]
    [InlineData("{\"program\": \"scripted\", \"scripts\": null}", "field \"scripts\" has the wrong type: expected a list of scripts")]
    [InlineData("{\"program\": \"scripted\", \"scripts\": [[]], \"granularity\": \"naive\"}", "vCPU 0 script must have 1 to 4,096 steps (got 0)")]
    [InlineData("{\"program\": \"scripted\", \"scripts\": [[\"fly\\n0\"]]}", "vCPU 0 script step 1 \"fly\\n0\": expected a guest operation")]
    [InlineData("{\"pages\": 0.5}", "field \"pages\" must be a whole number from 1 to 4 (got 0.5)")]
    [InlineData("{\"pages\": 1e12}", "field \"pages\" must be a whole number from 1 to 4 (got 1e12)")]
    [InlineData("{\"pages\": -1}", "field \"pages\" must be a whole number from 1 to 4 (got -1)")]
    [InlineData("{\"pages\": null}", "field \"pages\" has the wrong type: expected a whole number from 1 to 4, got null")]
    [InlineData("{\"pages\": \"1\"}", "field \"pages\" has the wrong type: expected a whole number from 1 to 4, got a string")]
    [InlineData("{\"vcpus\": 1.5}", "field \"vcpus\" must be a whole number from 1 to 4 (got 1.5)")]
    [InlineData("{\"vcpus\": true}", "field \"vcpus\" has the wrong type: expected a whole number from 1 to 4, got true")]
    [InlineData("{\"hostThreads\": 99999999999999999999}", "field \"hostThreads\" must be a whole number from 0 to 3 (got 99999999999999999999)")]
    [InlineData("{\"iterations\": 8}", "field \"iterations\" must be a whole number from 1 to 7 (got 8)")]
    [InlineData("{\"variant\": \"graph2\\n\"}", "field \"variant\" must be a name or a path without control characters (got \"graph2\\n\")")]
    [InlineData("{\"variant\": 1}", "field \"variant\" has the wrong type: expected a string, got the number 1")]
    [InlineData("{\"program\": null}", "field \"program\" has the wrong type: expected a string, got null")]
    [InlineData("{\"program\": \"fast\\u0007\"}", "program must be one of page-cache, ignore-results, any, scripted (got \"fast\\u0007\")")]
    [InlineData("{\"granularity\": []}", "field \"granularity\" has the wrong type: expected a string, got a list")]
    [InlineData("{\"pages\": 1, \"pages\": 2}", "field \"pages\" given twice")]
    [InlineData("{\"a\\nb\": 1}", "unknown field \"a\\nb\"")]
    [InlineData("{\"\\ud800\": 1}", "a string holds a \\u escape that is half of a character (a lone surrogate): not text")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        "not valid JSON (line 1): The maximum configured depth of 64 has been exceeded")]
    [InlineData("{\"pages\": 1", "not valid JSON (line 1)")]
    [InlineData("\"pages\"", "expected a JSON object { ... }, got a string")]
    [InlineData("{" + Script + ", \"iterations\": 3}", "iterations are for the page-cache programs: a script runs once (got iterations 3)")]
    [InlineData("{" + Script + ", \"vcpus\": 2}", "a scripted program runs one vCPU per script: 1 script, not vcpus 2")]
    public void AWrongFieldIsOneLineNamingTheFileAndTheField(string json, string message)
    {
        var path = Write("config.json", json);
        var (code, output, errors) = Run("check", "--config", path, "--quiet");
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith($"pagehint check: {path}: {message}", Assert.Single(errors.TrimEnd().Split('\n')));
    }

    [Theory]
    [InlineData("{" + Script + ", \"iterations\": 1, \"vcpus\": 1}")] // what a counterexample file of a single script says
    [InlineData("{" + Script + ", \"vcpus\": null}")]
    [InlineData("\uFEFF{\"pages\": 1, /* a comment */ \"hostActions\": [\"swap out\",],}")]
    public void FieldsThatAgreeWithAScriptAndHandWrittenJsonAreRead(string json)
    {
        var (code, _, errors) = Run("check", "--config", Write("config.json", json), "--quiet");
        Assert.Equal((0, ""), (code, errors));
    }

    [Fact]
    public void ScriptStepsBeyondTheLimitAreRefused()
    {
        var steps = string.Join(", ", Enumerable.Repeat("\"read(0) 0\"", 4_097));
        var e = Assert.Throws<InputException>(() => Configuration.Load(Write("long.json", $"{{\"program\": \"scripted\", \"scripts\": [[{steps}]]}}")));
        Assert.EndsWith("vCPU 0 script must have 1 to 4,096 steps (got 4,097)", e.Message);
    }

    [Fact]
    public void IterationsForAScriptGivenOnTheCommandLineAreRefused()
    {
        var path = Write("script.json", "{" + Script + "}");
        var (code, _, errors) = Run("check", "--config", path, "--iterations", "2", "--quiet");
        Assert.Equal((2, "pagehint check: iterations are for the page-cache programs: a script runs once (got iterations 2)"), (code, errors.TrimEnd()));
    }

    [Fact]
    public void ARelativeVariantIsTakenFromTheConfigurationsFolder()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "configs"));
        File.WriteAllText(Path.Combine(Dir, "configs", "mine.dot"), Model.Variants.BundledText("graph2"));
        var path = Write(Path.Combine("configs", "config.json"), "{\"variant\": \"mine.dot\"}");
        var c = Configuration.Load(path);
        Assert.Equal(Path.Combine(Dir, "configs", "mine.dot"), c.Variant);
        var (code, output, _) = Run("check", "--config", path, "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("I1 violated", output);
    }

    [Theory]
    [InlineData("missing.dot", "variant: {dir}/missing.dot: cannot read it (no such file): expected reference, graph1, graph2 or a file holding a digraph")]
    [InlineData("", "variant: \"\": cannot read it (the path is empty): expected reference, graph1, graph2 or a file holding a digraph")]
    [InlineData(".", "variant: {dir}/.: cannot read it (it is a folder, not a file)")]
    [InlineData("bad.dot", "variant: {dir}/bad.dot:2: expected a node name after '->', found '}'")]
    public void ABadVariantNamesTheConfigurationAndTheVariant(string variant, string message)
    {
        Write("bad.dot", "digraph {\n Ur -> }\n");
        var path = Write("config.json", $"{{\"variant\": \"{variant}\"}}");
        var (code, _, errors) = Run("check", "--config", path, "--quiet");
        Assert.Equal(2, code);
        Assert.StartsWith($"pagehint check: {path}: {message.Replace("{dir}", Dir)}", errors);
        Assert.Single(errors.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AHugeConfigurationIsRefusedNamingIt()
    {
        var path = Path.Combine(Dir, "huge.json");
        using (var f = File.Create(path)) f.SetLength(1L << 30);
        var (code, _, errors) = Run("check", "--config", path, "--quiet");
        Assert.Equal((2, $"pagehint check: {path}: larger than 16 MiB, more than any input of pagehint: not read"), (code, errors.TrimEnd()));
    }

    [Fact]
    public void AFolderIsNoConfiguration()
    {
        var (code, _, errors) = Run("check", "--config", Dir, "--quiet");
        Assert.Equal((2, $"pagehint check: {Dir}: cannot read it (it is a folder, not a file)"), (code, errors.TrimEnd()));
    }
}
