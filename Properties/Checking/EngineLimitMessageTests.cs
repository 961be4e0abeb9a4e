using Xunit;
using PageHintVerify.Checker.Cli;

namespace PageHintVerify.Properties.Checking;

/// <summary>The engine's own limit errors reach the user as the CLI's one line, with the CLI's advice, and exit 2.</summary>
public class EngineLimitMessageTests
{
    [Fact]
    public void AConfigurationWiderThan127BitsIsOneUsageLine()
    {
        var (output, errors) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["check", "--pages", "4", "--vcpus", "4", "--granularity", "cas", "--host-threads", "3", "--program", "any", "--quiet"], output, errors);
        Assert.Equal(2, code);
        Assert.Equal("pagehint check: the configuration needs more than 127 bits of state; use fewer pages, vCPUs or host threads" + Environment.NewLine, errors.ToString());
    }
}
