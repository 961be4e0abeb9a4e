using System.Text.RegularExpressions;
using Xunit;

namespace PageHintVerify.Properties.Output;

public sealed class VersionTests() : CommandTests("pagehint-version-")
{
    [Fact]
    public void VersionNamesTheToolZ3AndSpin()
    {
        var (code, output, errors) = Run("--version");
        Assert.Equal((0, ""), (code, errors));
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(new Regex(@"^pagehint \d+\.\d+\.\d+$"), lines[0]);
        // The prerequisites script installs both, so here they are found.
        Assert.Matches(new Regex(@"^Z3: 4\.[\d.]+ \(.*libz3"), lines[1]);
        Assert.Matches(new Regex(@"^SPIN: \d+\.\d+\.\d+$"), lines[2]);
    }

    [Fact]
    public void VersionTakesNoArguments() => Assert.Equal(2, Run("--version", "x").Code);
}
