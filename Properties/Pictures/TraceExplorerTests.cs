using System.Text.RegularExpressions;
using PageHintVerify.Properties.Counterexamples;
using Xunit;

namespace PageHintVerify.Properties.Pictures;

/// <summary>The HTML trace explorer's file: self-contained, escaped, one per counterexample (the browser test drives it).</summary>
public sealed class TraceExplorerTests() : CommandTests("pagehint-html-")
{
    static string Stored(string name) => Path.Combine(CounterexampleFolderTests.Folder, name);

    /// <summary>Every place an HTML page could fetch something: a src or href attribute, a url() other than a reference within the page, an @import.</summary>
    static readonly Regex Fetch = new(@"\b(src|href)\s*=|url\((?!#)|@import", RegexOptions.IgnoreCase);

    [Fact]
    public void ReplayWritesOneSelfContainedPageWithTheInvariantMarked()
    {
        var html = Path.Combine(Dir, "out.html");
        var (code, _, errors) = Run("replay", Stored("naive-I2-silent-read-discard-volatile.json"), "--html", html);
        Assert.Equal((1, ""), (code, errors));
        var text = File.ReadAllText(html);
        Assert.DoesNotMatch(Fetch, text);
        Assert.Contains("<svg", text);
        Assert.Contains("I2 no silent read of discarded content", text);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(PageHintVerify.Model.Invariants.I2.Holds.ToString()), text);
        Assert.Single(Regex.Matches(text, "class=\"violating\""));
        Assert.Contains("<li data-step=\"13\" tabindex=\"-1\" class=\"violating\">", text);
    }

    [Fact]
    public void TextFromTheInputCannotOpenAnElement()
    {
        var hostile = Write("<script>alert(1)<img src=x onerror=alert(2)>.json", File.ReadAllText(Stored("naive-I2-silent-read-discard-volatile.json")));
        var html = Path.Combine(Dir, "out.html");
        var (code, _, _) = Run("replay", hostile, "--html", html);
        Assert.Equal(1, code);
        var text = File.ReadAllText(html);
        Assert.DoesNotContain("<img", text);
        Assert.Contains("&lt;script&gt;alert(1)&lt;img src=x onerror=alert(2)&gt;.json", text);
        Assert.Equal(2, Regex.Matches(text, "<script").Count);
        Assert.Equal(2, Regex.Matches(text, "</script>").Count);
    }

    [Fact]
    public void CheckWritesOnePagePerViolation()
    {
        var folder = Path.Combine(Dir, "html");
        var (code, output, _) = Run("check", "--granularity", "naive", "--all", "--quiet", "--html", folder);
        Assert.Equal(1, code);
        var names = Directory.GetFiles(folder).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(["naive-I1-data-loss-swap-out.html", "naive-I2-silent-read-discard-volatile.html", "naive-I4-unrecreatable-swap-out.html"], names);
        Assert.Contains($"I4: trace explorer written to {Path.Combine(folder, "naive-I4-unrecreatable-swap-out.html")}", output);
    }

    [Fact]
    public void ReplayDrawsOneFile()
    {
        var file = Stored("naive-I2-silent-read-discard-volatile.json");
        var (code, _, errors) = Run("replay", file, file, "--html", Path.Combine(Dir, "out.html"));
        Assert.Equal(2, code);
        Assert.Contains("--svg, --dot and --html draw one file; give exactly one", errors);
    }
}
