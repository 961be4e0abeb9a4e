using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary><c>check --coverage</c>: the protocol's edges and the programs' points a complete search reaches, and warnings for the rest.</summary>
public sealed class CoverageTests() : CommandTests("pagehint-coverage-")
{
    [Fact]
    public void TheAnyGuestTakesEveryEdgeOfTheReference()
    {
        var (code, output, _) = Run("check", "--program", "any", "--all", "--quiet", "--coverage");
        Assert.Equal(1, code); // the any guest breaks the guest-discipline invariants by design
        Assert.Contains("  protocol reference: 61 of 61 edges taken\n", output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("never taken", output);
        Assert.DoesNotContain("warning:", output);
        // It never stops, so its end is the one point it never reaches.
        Assert.Contains("  vcpu0 program any: 1 of 2 program points reached", output);
    }

    [Fact]
    public void OnePassOfThePageCacheNeverFreesItsPage()
    {
        var (code, output, _) = Run("check", "--quiet", "--coverage");
        Assert.Equal(0, code);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("  vcpu0 program page-cache: 10 of 11 program points reached", lines);
        Assert.Contains(lines, l => l.StartsWith("    pc 9 set_unused | write(0) ") && l.EndsWith("never reached"));
        Assert.Contains(lines, l => l.StartsWith("    pc 6 reload ") && l.EndsWith(" 1 state"));
        Assert.Contains(lines, l => l.StartsWith("    Sr -set_volatile(w=1)-> Pr ") && l.EndsWith(" 2 steps"));
        Assert.Contains("warning: no run takes the edge Sr -set_unused-> Ur (SPEC §3)", lines);
        Assert.Equal(61 - 18, lines.Count(l => l.StartsWith("warning: no run takes the edge ")));
    }

    [Fact]
    public void WithoutTheOptionThereIsNoReport()
    {
        var (_, output, _) = Run("check", "--quiet");
        Assert.DoesNotContain("coverage", output);
    }
}
