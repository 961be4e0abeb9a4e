using PageHintVerify.Checker.Cli;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>The check command's exit codes, summary line and one-line errors.</summary>
public class CheckCommandTests() : CommandTests("pagehint-check")
{
    [Fact]
    public void ACleanRunExits0AndSaysTheExactStateCount()
    {
        var (code, output, _) = Run("check", "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("no violation: 36 states,", output);
    }

    [Fact]
    public void AViolationExits1AndPrintsAnAlignedTrace()
    {
        var (code, output, _) = Run("check", "--program", "ignore-results", "--quiet");
        Assert.Equal(1, code);
        Assert.Contains("I1 violated: no data loss from a stable page", output);
        Assert.Contains("shortest trace, 6 steps:", output);
        var rows = output.Split('\n').Where(l => l.StartsWith("     ", StringComparison.Ordinal)).ToList();
        Assert.Equal(7, rows.Count); // the initial state and six steps
        // Aligned: the page column starts at the same place on every row, the header's included.
        var header = output.Split('\n').Single(l => l.Contains("page 0 after"));
        int column = header.IndexOf("page 0 after", StringComparison.Ordinal);
        Assert.All(rows, r => Assert.Matches("^[USVP][rpz] d=", r[column..]));
        Assert.EndsWith("◀ I1", rows[^1].TrimEnd());
    }

    [Theory]
    [InlineData("--pages", "9", "--pages takes a whole number from 1 to 4 (got '9')")]
    [InlineData("--granularity", "lazy", "--granularity takes one of atomic, naive, cas (got 'lazy')")]
    [InlineData("--vcpus", "3", "3 vCPUs need at least 3 pages (got 1)")]
    [InlineData("--max-memory", "lots", "--max-memory takes a size")]
    [InlineData("--frobnicate", "1", "unknown option --frobnicate")]
    [InlineData("--join", "nonsense", "--join takes HOST:PORT (got 'nonsense')")]
    [InlineData("--join", "127.0.0.1:99999", "--join takes HOST:PORT (got '127.0.0.1:99999')")]
    public void ImpossibleOrMalformedOptionsAreOneLineAndExit2(string option, string value, string message)
    {
        var (code, output, errors) = Run("check", option, value, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(message, errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("22")]
    [InlineData("five")]
    public void BenchRefusesARoundCountOutsideOneTo21(string rounds)
    {
        var (code, output, errors) = Run("bench", "--rounds", rounds);
        Assert.Equal(2, code);
        Assert.Equal($"pagehint bench: --rounds takes a whole number from 1 to 21 (got '{rounds}')", errors.Trim());
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("bench")]
    [InlineData("prove")]
    [InlineData("bench-table")]
    [InlineData("export", "--promela", "model.pml")]
    public void ACommandThatTakesNoArgumentsRefusesOne(string command, params string[] options)
    {
        var (code, output, errors) = Run([command, .. options, "stray"]);
        Assert.Equal(2, code);
        Assert.Equal($"pagehint {command}: unexpected argument 'stray' (see pagehint {command} --help)", errors.Trim());
        Assert.Equal("", output);
        Assert.False(File.Exists("model.pml"));
    }

    [Fact]
    public void AnExportToAPathThatCannotBeWrittenIsOneLineNamingIt()
    {
        var (code, output, errors) = Run("export", "--promela", "/nonexistent/dir/model.pml");
        Assert.Equal(2, code);
        Assert.StartsWith("pagehint export: /nonexistent/dir/model.pml: cannot write: ", errors);
        Assert.Single(errors.Trim().Split('\n'));
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"pages\": \"two\"}", "field \"pages\" has the wrong type")]
    [InlineData("{\"colour\": 1}", "unknown field \"colour\"")]
    [InlineData("{\"pages\": 1, \"vcpus\": 2}", "2 vCPUs need at least 2 pages")]
    [InlineData("{\"program\": \"scripted\", \"scripts\": [[\"fly 0\"]]}", "vCPU 0 script step 1 \"fly 0\"")]
    public void BadConfigurationFilesNameTheFileAndTheProblem(string json, string message)
    {
        var path = Write("config.json", json);
        var (code, _, errors) = Run("check", "--config", path, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains(path, errors);
        Assert.Contains(message, errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public void AMissingConfigurationFileIsNamed()
    {
        var (code, _, errors) = Run("check", "--config", "/nonexistent/config.json");
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/config.json: cannot read", errors);
    }

    [Fact]
    public void OptionsOverrideAConfigurationFile()
    {
        var path = Write("config.json", "{\"pages\": 2, \"granularity\": \"cas\"}");
        var (code, output, _) = Run("check", "--config", path, "--granularity", "atomic", "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("reference, atomic, 2 pages", output);
        Assert.Contains("no violation: 1,296 states,", output);
    }

    [Fact]
    public void ADotFileOfALargeStateSpaceIsRefusedBeforeAnyLongSearch()
    {
        // It stops at its first violation within a few states, but its whole graph has 8 million.
        var path = Path.Combine(Dir, "states.dot");
        var (code, output, errors) = Run("check", "--program", "any", "--pages", "2", "--dot", path, "--quiet");
        Assert.Equal((2, ""), (code, output));
        Assert.Equal("pagehint check: --dot is for small runs: this configuration has more than 5,000 states (run it without --dot)\n",
            errors.ReplaceLineEndings("\n"));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void ADotFileThatCannotBeWrittenIsRefusedBeforeTheSearch()
    {
        var (code, output, errors) = Run("check", "--dot", "/nonexistent/states.dot", "--quiet");
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith("pagehint check: /nonexistent/states.dot: cannot write: ", errors);
    }

    [Fact]
    public void CountsOfOneAreSingular()
    {
        var config = Write("one.json", "{\"program\": \"scripted\", \"hostThreads\": 0, \"scripts\": [[\"set_stable 0\"]]}");
        var (code, output, _) = Run("check", "--config", config, "--threads", "1", "--quiet");
        Assert.Equal(0, code);
        Assert.Contains("no violation: 2 states, 1 transition, depth 1, ", output);
        Assert.EndsWith(", 1 thread\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void TheDotFileOfASmallRunHasEveryState()
    {
        var path = Path.Combine(Dir, "states.dot");
        var (code, _, _) = Run("check", "--dot", path, "--quiet");
        Assert.Equal(0, code);
        var dot = File.ReadAllText(path);
        Assert.StartsWith("digraph states {", dot);
        Assert.Equal(36, dot.Split('\n').Count(l => l.TrimStart().StartsWith('s') && l.Contains("[label=") && !l.Contains("->")));
    }
}
