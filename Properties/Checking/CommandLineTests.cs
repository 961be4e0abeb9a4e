using PageHintVerify.Checker.Cli;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>The front end: where usage goes, how options are told from values, and that an error is one printable line.</summary>
public class CommandLineTests() : CommandTests("pagehint-cli")
{
    [Fact]
    public void NoArgumentsPrintTheUsageOnStderrAndExit2()
    {
        var (code, output, errors) = Run();
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith("usage: pagehint <command>", errors);
    }

    [Fact]
    public void HelpPrintsTheUsageOnStdoutAndExits0()
    {
        var (code, output, errors) = Run("--help");
        Assert.Equal((0, ""), (code, errors));
        Assert.StartsWith("usage: pagehint <command>", output);
    }

    [Fact]
    public void ASingleDashArgumentIsAnOptionNotTheValueOfTheFlagBeforeIt()
    {
        var (code, output, errors) = Run("check", "--quiet", "-p", "2");
        Assert.Equal((2, ""), (code, output));
        Assert.Equal("pagehint check: unknown option -p (see pagehint check --help)\n", errors.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ANegativeNumberIsAValueRefusedByItsOption()
    {
        var (code, _, errors) = Run("check", "--threads", "-1", "--quiet");
        Assert.Equal(2, code);
        Assert.Equal("pagehint check: --threads takes a whole number from 1 to 64 (got '-1')\n", errors.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("a\u001b[31mb", @"a\x1b[31mb")]
    [InlineData("a\0b\r\t", @"a\0b\r\t")]
    [InlineData("a\u2028b\u0085", @"a\u2028b\x85")]
    [InlineData("plain ⊥ text", "plain ⊥ text")]
    public void ControlCharactersAreEscaped(string text, string printable) =>
        Assert.Equal(printable, CommandLine.Printable(text));

    [Theory]
    [InlineData("check", "--config", "bad\nname\u001b[2J.json")]
    [InlineData("check", "--variant", "bad\0name\n.dot")]
    [InlineData("check", "--frobnicate\nx")]
    [InlineData("replay", "bad\nname.json")]
    [InlineData("analyze", "no\rsuch\n")]
    [InlineData("frobnicate\n\u001b[2J")]
    public void AnErrorEchoingControlCharactersIsOnePrintableLine(params string[] args)
    {
        var (code, _, errors) = Run(args);
        Assert.Equal(2, code);
        var line = Assert.Single(errors.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain(line, char.IsControl);
    }

    /// <summary>Standard output on a full disk or a closed pipe: every write fails as the operating system says.</summary>
    sealed class FullDisk : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void Write(char value) => throw new IOException("No space left on device : '/dev/stdout'");
    }

    [Fact]
    public void OutputThatCannotBeWrittenIsOneLineNotAStackTrace()
    {
        var errors = new StringWriter();
        int code = CommandLine.Run(["check", "--quiet"], new FullDisk(), errors);
        Assert.Equal(2, code);
        Assert.Equal("pagehint check: No space left on device : '/dev/stdout'\n", errors.ToString().ReplaceLineEndings("\n"));
    }
}
