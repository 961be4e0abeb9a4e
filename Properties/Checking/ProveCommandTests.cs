using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary><c>prove</c>'s verdict: one final line, and an exit code that follows the obligations, not the table's gaps.</summary>
public class ProveCommandTests() : CommandTests("pagehint-prove")
{
    [Trait("Category", "Slow")]
    [Theory]
    [InlineData("reference", 0, "verdict: every obligation proved for one step of reference")]
    [InlineData("graph1", 0, "verdict: every obligation proved for one step of graph1 (its table has 16 gaps, treated as no change)")]
    [InlineData("graph2", 1, "verdict: not proved: I1, I2, I4, L1 violated by one step of graph2 (its table has 17 gaps, treated as no change)")]
    public void GapsAreReportedAndOnlyAViolatedObligationFailsTheProof(string variant, int code, string verdict)
    {
        var (exit, output, errors) = Run("prove", "--variant", variant);
        Assert.Equal((code, ""), (exit, errors));
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(verdict, lines[^1]);
        Assert.Single(lines, l => l.StartsWith("verdict:", StringComparison.Ordinal));
    }
}

/// <summary><c>prove --granularity</c>: the reduction's verdict, its witness at naive, and the options it refuses.</summary>
public class ProveGranularityTests() : CommandTests("pagehint-prove-granularity")
{
    [Trait("Category", "Slow")]
    [Fact]
    public void CasProvesEveryObligationAndLiftsTheInvariantsToEverySize()
    {
        var (exit, output, errors) = Run("prove", "--granularity", "cas");
        Assert.Equal((0, ""), (exit, errors));
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal("verdict: I1–I5 hold for any number of pages, vCPUs and host threads (every execution of cas on reference is equivalent to one of atomic steps)", lines[^1]);
        foreach (var id in new[] { "R1", "R2", "R3", "R4" }) Assert.Single(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal) && l.EndsWith(": proved", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("R5 ", StringComparison.Ordinal) && l.EndsWith(": holds by construction", StringComparison.Ordinal));
    }

    [Trait("Category", "Slow")]
    [Fact]
    public void NaiveFailsRefinementWithTheWitnessAndATrace()
    {
        var (exit, output, errors) = Run("prove", "--granularity", "naive");
        Assert.Equal((1, ""), (exit, errors));
        var lines = output.TrimEnd().Split('\n');
        int r1 = Array.FindIndex(lines, l => l.StartsWith("R1 ", StringComparison.Ordinal));
        Assert.EndsWith(": violated", lines[r1]);
        Assert.StartsWith("  loaded ", lines[r1 + 2]);
        Assert.StartsWith("  current ", lines[r1 + 3]);
        Assert.Contains(lines, l => l.StartsWith("  the checker reaches ", StringComparison.Ordinal));
        Assert.EndsWith(" store", lines.TakeWhile(l => !l.StartsWith("R2 ", StringComparison.Ordinal)).Last().Split("  ", StringSplitOptions.RemoveEmptyEntries)[^2].TrimEnd());
        Assert.StartsWith("verdict: not proved: R1", lines[^1]);
    }

    [Theory]
    [InlineData("--granularity foo", "pagehint prove: --granularity takes one of atomic, naive, cas (got 'foo')")]
    [InlineData("--granularity cas --without-lemmas", "pagehint prove: --without-lemmas applies to the one-step proof, not to --granularity: the reduction rests on the invariants being inductive, which needs the lemmas")]
    public void NonsenseIsRefusedInOneLine(string args, string error)
    {
        var (exit, output, errors) = Run(["prove", .. args.Split(' ')]);
        Assert.Equal((2, "", error), (exit, output, errors.TrimEnd()));
    }
}
