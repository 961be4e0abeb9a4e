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
