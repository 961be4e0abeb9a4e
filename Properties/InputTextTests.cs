using System.Runtime.InteropServices;
using System.Text;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>The one reader of input files: a size cap read incrementally, UTF-8 only, and messages of one line.</summary>
public sealed class InputTextTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("pagehint-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static ModelInputException Refused(string path) => Assert.Throws<ModelInputException>(() => InputText.Read(path));

    [Fact]
    public void AFileLargerThanTheCapIsRefusedUnread()
    {
        var path = Path.Combine(_dir, "huge.json");
        using (var f = File.Create(path)) f.SetLength(1L << 30); // sparse: a gigabyte that takes no disk
        var e = Refused(path);
        Assert.Equal($"{path}: larger than 16 MiB, more than any input of pagehint: not read", e.Message);
    }

    [Fact]
    public void AStreamThatNeverEndsIsRefusedAtTheCap()
    {
        if (!File.Exists("/dev/zero")) return; // Linux and macOS only
        Assert.Contains("larger than 16 MiB", Refused("/dev/zero").Message);
    }

    [DllImport("libc", SetLastError = true)]
    static extern int mkfifo(string path, uint mode);

    /// <summary>A pipe whose writer never stops (as <c>--config &lt;(yes)</c>) is read up to the cap, then refused.</summary>
    [Fact]
    public void APipeThatNeverEndsIsRefusedAtTheCap()
    {
        if (!OperatingSystem.IsLinux()) return;
        var path = Path.Combine(_dir, "fifo");
        Assert.Equal(0, mkfifo(path, 0b110_000_000));
        var writer = Task.Run(() =>
        {
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 1 << 16));
            try
            {
                using var w = new FileStream(path, FileMode.Open, FileAccess.Write);
                while (true) w.Write(chunk);
            }
            catch (IOException) { } // the reader closed the pipe
        });
        Assert.Contains("larger than 16 MiB", Refused(path).Message);
        Assert.True(writer.Wait(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void AFileAtTheCapIsRead()
    {
        var bytes = new byte[InputText.MaxBytes];
        Array.Fill(bytes, (byte)' ');
        Assert.Equal(InputText.MaxBytes, InputText.Read(Write("full.json", bytes)).Length);
    }

    [Theory]
    [InlineData("", "\"\": cannot read it (the path is empty)")]
    [InlineData("/", "/: cannot read it (it is a folder, not a file)")]
    [InlineData("/nonexistent/x.json", "/nonexistent/x.json: cannot read it (no such file)")]
    [InlineData("a\nb", "\"a\\nb\": cannot read it (no such file)")]
    [InlineData("/tmp/a\u0000b", "\"/tmp/a\\u0000b\": cannot read it (not a valid path)")]
    public void APathThatIsNoFileIsOurOneLine(string path, string message) => Assert.Equal(message, Refused(path).Message);

    [Fact]
    public void APathTooLongIsSaidInOurWords()
    {
        var path = string.Concat(Enumerable.Repeat("a/", 3000)) + "x.json";
        Assert.EndsWith("…\": cannot read it (the path is too long)", Refused(path).Message);
    }

    [Fact]
    public void InvalidUtf8IsRefusedNamingTheByte()
    {
        var e = Refused(Write("latin1.json", [(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)'}']));
        Assert.EndsWith("latin1.json: not UTF-8 text (byte 0xE9 at offset 2 is not valid utf-8)", e.Message);
    }

    [Fact]
    public void ByteOrderMarksAreHonouredAndDropped()
    {
        Assert.Equal("{}", InputText.Read(Write("utf8.json", [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'])));
        Assert.Equal("{}", InputText.Read(Write("utf16.json", [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0])));
        Assert.Equal("{}", InputText.Read(Write("utf16be.json", [0xFE, 0xFF, 0, (byte)'{', 0, (byte)'}'])));
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\nb\tc\r\"d\\n", "\"a\\nb\\tc\\r\\\"d\\n\"")]
    public void QuoteShowsAnyTextOnOneLine(string value, string quoted) => Assert.Equal(quoted, InputText.Quote(value));

    [Fact] // not inline data: the test runner would not keep a lone surrogate as it is
    public void QuoteEscapesWhatATerminalCannotShow() =>
        Assert.Equal("\"\\u0001\\u2028\\uD800\"", InputText.Quote("\u0001\u2028\ud800"));

    [Fact]
    public void QuoteCutsLongTextWithoutSplittingACharacter()
    {
        Assert.Equal($"\"{new string('x', 80)}…\"", InputText.Quote(new string('x', 10_000_000)));
        Assert.Equal($"\"{new string('x', 79)}…\"", InputText.Quote(new string('x', 79) + "😀"));
    }
}
