using System.Text.Json;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Output;

/// <summary>Every command's <c>--json</c> document is one JSON value on stdout that docs/pagehint-output.schema.json accepts.</summary>
public sealed class JsonOutputTests() : CommandTests("pagehint-json-")
{
    static readonly JsonSchemaSubset Schema = new(JsonDocument.Parse(File.ReadAllText(
        Path.Combine(SeedFiles.RepositoryRoot(), "docs", "pagehint-output.schema.json"))).RootElement);

    static JsonElement Valid(int expectedCode, params string[] args)
    {
        var (code, output, errors) = Run(args);
        Assert.True(code == expectedCode, $"exit {code}, not {expectedCode}: {errors}");
        var document = JsonDocument.Parse(output).RootElement; // exactly one JSON value, nothing else on stdout
        Assert.Empty(Schema.Validate(document));
        Assert.Equal(code, document.GetProperty("exitCode").GetInt32());
        Assert.Equal(args[0], document.GetProperty("command").GetString());
        return document;
    }

    [Fact]
    public void CheckWithAViolationCarriesItsTraceInTheCounterexampleFilesStepFormat()
    {
        var d = Valid(1, "check", "--variant", "graph2", "--quiet", "--save", Dir, "--json");
        Assert.Equal("violation", d.GetProperty("verdict").GetString());
        Assert.Equal("graph2", d.GetProperty("configuration").GetProperty("variant").GetString());
        var violation = Assert.Single(d.GetProperty("violations").EnumerateArray());
        Assert.Equal("I1", violation.GetProperty("invariant").GetString());
        // The first step is the one a counterexample file would write for it.
        var first = violation.GetProperty("steps")[0];
        Assert.Equal(("vcpu0", "set_stable", "whole"), (first.GetProperty("actor").GetString(), first.GetProperty("operation").GetString(), first.GetProperty("phase").GetString()));
        var saved = Assert.Single(d.GetProperty("saved").EnumerateArray()).GetString()!;
        Assert.True(File.Exists(saved));
    }

    [Fact]
    public void CheckOnSilosCountsWhatThePartitionsOwnAndSend()
    {
        var d = Valid(0, "check", "--standard", "two-pages", "--quiet", "--cluster", "2", "--json");
        var distribution = d.GetProperty("searchCost").GetProperty("distribution");
        var partitions = distribution.GetProperty("partitions").EnumerateArray().ToList();
        Assert.Equal(2, partitions.Count);
        Assert.Equal(d.GetProperty("counts").GetProperty("states").GetInt64(), partitions.Sum(p => p.GetProperty("states").GetInt64()));
        Assert.All(partitions, p => Assert.StartsWith("silo ", p.GetProperty("silo").GetString()));
        Assert.All(partitions, p => Assert.True(p.GetProperty("siloPeakBytes").GetInt64() > 0));
        Assert.Equal(distribution.GetProperty("candidatesSent").GetInt64() * 24 + distribution.GetProperty("tagsSent").GetInt64() * 8,
            distribution.GetProperty("payloadBytes").GetInt64());
    }

    [Fact]
    public void CheckWithoutAViolation()
    {
        var d = Valid(0, "check", "--all", "--json");
        Assert.Equal("no violation", d.GetProperty("verdict").GetString());
        Assert.True(d.GetProperty("counts").GetProperty("complete").GetBoolean());
        Assert.True(d.GetProperty("counts").GetProperty("states").GetInt64() > 0);
        Assert.Empty(d.GetProperty("violations").EnumerateArray());
    }

    [Fact]
    public void AnalyzeExitsZeroOnlyWhenEveryGraphEqualsTheReference()
    {
        Assert.Equal("equal", Valid(0, "analyze", "reference", "--json").GetProperty("verdict").GetString());
        var d = Valid(1, "analyze", "--json");
        Assert.Equal("differs", d.GetProperty("verdict").GetString());
        Assert.Equal([true, false, false], d.GetProperty("variants").EnumerateArray().Select(v => v.GetProperty("equalsReference").GetBoolean()));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ProveReportsEachObligation()
    {
        var d = Valid(0, "prove", "--json");
        Assert.All(d.GetProperty("obligations").EnumerateArray(), o => Assert.True(o.GetProperty("proved").GetBoolean()));
        Assert.Equal(1, Valid(1, "prove", "--without-lemmas", "--json").GetProperty("exitCode").GetInt32());
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void ProveByReductionReportsEachObligationAndNaivesTrace()
    {
        var d = Valid(0, "prove", "--granularity", "cas", "--json");
        Assert.Equal("cas", d.GetProperty("granularity").GetString());
        Assert.All(d.GetProperty("obligations").EnumerateArray(), o => Assert.True(o.GetProperty("proved").GetBoolean()));
        var naive = Valid(1, "prove", "--granularity", "naive", "--json");
        Assert.False(naive.GetProperty("obligations")[0].GetProperty("proved").GetBoolean());
        Assert.Equal("store", naive.GetProperty("trace").EnumerateArray().Last().GetProperty("step").GetString()!.Split(' ')[^1]);
    }

    [Fact]
    public void ReplayReportsEveryFileWithItsTrace()
    {
        var good = Directory.GetFiles(Path.Combine(SeedFiles.RepositoryRoot(), "counterexamples"), "*.json").Order().First();
        var bad = Write("bad.json", "{}");
        var d = Valid(2, "replay", good, bad, "--json");
        Assert.Equal(["reproduces", "malformed"], d.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("outcome").GetString()));
        Assert.NotEmpty(d.GetProperty("files")[0].GetProperty("steps").EnumerateArray());
        Assert.Equal(1, Valid(1, "replay", good, "--json").GetProperty("exitCode").GetInt32());
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void BenchReportsItsRows()
    {
        var d = Valid(0, "bench", "--only-spin", "--json");
        Assert.Empty(d.GetProperty("rows").EnumerateArray());
    }

    [Fact]
    public void TheValidatorBites()
    {
        var d = Valid(0, "analyze", "reference", "--json");
        var broken = JsonDocument.Parse(d.GetRawText().Replace("\"exitCode\": 0", "\"exitCode\": \"0\"")).RootElement;
        Assert.NotEmpty(Schema.Validate(broken));
        var extra = JsonDocument.Parse(d.GetRawText().Replace("\"schema\": 1,", "\"schema\": 1, \"surprise\": true,")).RootElement;
        Assert.NotEmpty(Schema.Validate(extra));
    }
}
