using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>
/// A search that cannot finish, run as its own process: --max-memory bounds the process's real peak resident memory,
/// and SIGINT or SIGTERM stops it between chunks. Either way it prints its partial statistics and one line saying why,
/// and a violation found before the stop is still exit code 1.
/// </summary>
public class StoppedSearchTests
{
    /// <summary>The any guest on two pages has 8 million states and peaks near 400 MiB when nothing bounds it; it finds
    /// its four violations within the first few levels.</summary>
    static readonly string[] Any = ["check", "--program", "any", "--pages", "2", "--all"];

    [Trait("Category", "Slow")]
    [Theory]
    [InlineData(80)]
    [InlineData(128)]
    public void ThePeakResidentMemoryStaysWithinTheBudgetAndAViolationFoundStillWins(int mebibytes)
    {
        using var pagehint = PagehintProcess.Start([.. Any, "--quiet", "--max-memory", $"{mebibytes}M"]);
        var (code, output, errors, peak) = pagehint.Wait();
        long budget = (long)mebibytes << 20;
        Assert.True(peak <= budget * 11 / 10, $"peak {peak >> 20} MiB over the budget of {mebibytes} MiB");
        Assert.True(peak >= budget / 2, $"peak {peak >> 20} MiB: stopped long before the budget of {mebibytes} MiB");
        Assert.Equal(1, code);
        Assert.Matches($@"^pagehint check: stopped: out of memory while exploring level \d+ \(--max-memory {mebibytes}\.0 MiB\)\n$", errors.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n4 invariants violated \(I1, I2, I4, I5\): [\d,]+ states, [\d,]+ transitions, depth \d+ \(partial\)", output);
    }

    [Fact]
    public void ABudgetBelowWhatTheProcessNeedsIsRefusedBeforeTheSearch()
    {
        using var pagehint = PagehintProcess.Start([.. Any, "--max-memory", "40M"]);
        var (code, output, errors, _) = pagehint.Wait();
        Assert.Equal((2, ""), (code, output));
        Assert.Matches(@"^pagehint check: --max-memory 40\.0 MiB is below what the process needs before it searches: give at least \d+M\n$", errors.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SigintStopsACleanSearchWithItsPartialStatisticsAndExitCode130()
    {
        // Three pages and three vCPUs at cas granularity, two host threads: far more states than a test waits for, clean (a smaller
        // search finished before the signal under load); the budget is a safety net.
        using var pagehint = PagehintProcess.Start("check", "--pages", "3", "--host-threads", "2", "--granularity", "cas", "--max-memory", "1G");
        pagehint.WaitForErrorLine(l => l.Contains(" states/s")); // a progress line: the search is under way
        pagehint.Signal(PagehintProcess.SIGINT);
        var (code, output, errors, _) = pagehint.Wait();
        Assert.Equal(130, code);
        var stopped = Assert.Single(errors.Split('\n'), l => l.StartsWith("pagehint", StringComparison.Ordinal));
        Assert.Matches(@"^pagehint check: stopped: interrupted while exploring level \d+ \(SIGINT\)$", stopped);
        Assert.EndsWith(stopped + "\n", errors.ReplaceLineEndings("\n"));
        Assert.Matches(@"\nincomplete, no violation so far: [\d,]+ states, [\d,]+ transitions, depth \d+ \(partial\),", output);
    }

    [Fact]
    public void SigtermAfterAViolationWasFoundStopsTheSearchAndExits1()
    {
        using var pagehint = PagehintProcess.Start([.. Any, "--max-memory", "1G"]);
        pagehint.WaitForErrorLine(l => l.Contains(" states/s"));
        pagehint.Signal(PagehintProcess.SIGTERM);
        var (code, output, errors, _) = pagehint.Wait();
        Assert.Equal(1, code);
        Assert.Matches(@"\npagehint check: stopped: interrupted while exploring level \d+ \(SIGTERM\)\n$", errors.ReplaceLineEndings("\n"));
        Assert.Matches(@"\n4 invariants violated \(I1, I2, I4, I5\): [\d,]+ states, [\d,]+ transitions, depth \d+ \(partial\)", output);
        Assert.Contains("shortest trace, ", output);
    }
}
