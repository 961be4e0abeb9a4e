using System.Text.Json;
using System.Text.RegularExpressions;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Model;
using PageHintVerify.Properties.Counterexamples;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Pictures;

/// <summary>
/// The trace explorer in a real browser: for every stored counterexample, headless Chromium loads the page
/// <c>replay --html</c> writes, the test steps through the trace with key presses and clicks, and checks what is
/// displayed: the step number, every page's fields after each step and which of them are marked changed, and the
/// violating step. It also takes the screenshot the README shows (docs/explorer.png).
/// </summary>
[Trait("Category", "Browser")]
[Trait("Category", "Slow")]
public sealed class BrowserTests() : CommandTests("pagehint-browser-")
{
    const int Width = 1200, Height = 900;

    /// <summary>The counterexample docs/explorer.png shows, at its violating step.</summary>
    const string Pictured = "graph2-I1-data-loss-discard-pv.json";

    static readonly Regex PageText = new(@"^(.)(.) d=(.) mem=(..) disk=(..) want=(..)$");

    [Fact]
    public void EveryStoredCounterexampleStepsThroughInTheBrowser()
    {
        string executable = Chromium.Find()
            ?? throw new InvalidOperationException("chromium is not installed: run scripts/prereqs.sh as root, or sudo apt-get install chromium");
        using var browser = new Chromium(executable, Width, Height);
        var files = Directory.GetFiles(CounterexampleFolderTests.Folder, "*.json").Order().ToArray();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var html = Path.Combine(Dir, Path.GetFileNameWithoutExtension(file) + ".html");
            Assert.Equal(1, Run("replay", file, "--html", html).Code);
            var verdict = CounterexampleReplay.Run(CounterexampleFile.Read(file));
            var system = verdict.System;
            var pages = new List<string[]> { Enumerable.Range(0, system.PageCount).Select(p => system.Page(system.Initial, p).ToString()).ToArray() };
            pages.AddRange(verdict.Replay.Trace.Select(t => t.PagesAfter.Select(p => p.ToString()).ToArray()));
            int last = pages.Count - 1;

            browser.Open(html);
            Assert.Equal(verdict.Counterexample.Invariant.Holds.ToString(), browser.Text("#formula"));
            Assert.Equal(last.ToString(), browser.Text("#total"));
            Shows(browser, 0, pages);

            // Down the whole trace with the keyboard, alternating keys; past the end stays at the end.
            for (int i = 1; i <= last; i++)
            {
                browser.Press(new[] { "ArrowDown", "j", "ArrowRight" }[i % 3]);
                Shows(browser, i, pages);
            }
            browser.Press("j");
            Shows(browser, last, pages);
            Assert.Equal(true, (bool?)browser.Evaluate("document.body.classList.contains('at-violation')"));
            Assert.Equal([last.ToString()], Texts(browser, "#steps li.violating", "e.getAttribute('data-step')"));
            Assert.Equal([last.ToString()], Texts(browser, "#steps li.current", "e.getAttribute('data-step')"));
            Assert.Contains($"✖ {verdict.Counterexample.Invariant.Id}", browser.Text("#steps li.violating"));
            Assert.Equal($"step {last} of {last} violates {verdict.Counterexample.Invariant.Id}", browser.Text("#verdict"));

            browser.Press("k");
            Shows(browser, last - 1, pages);
            Assert.Equal(false, (bool?)browser.Evaluate("document.body.classList.contains('at-violation')"));
            browser.Press("ArrowUp");
            Shows(browser, last - 2, pages);
            browser.Press("Home");
            Shows(browser, 0, pages);
            browser.Press("ArrowLeft");
            Shows(browser, 0, pages);

            // The mouse: a step in the list, then the buttons.
            browser.Click("#steps li[data-step=\"2\"]");
            Shows(browser, 2, pages);
            browser.Click("#next");
            Shows(browser, 3, pages);
            browser.Click("#prev");
            Shows(browser, 2, pages);
            browser.Press("End");
            Shows(browser, last, pages);

            if (Path.GetFileName(file) == Pictured)
                File.WriteAllBytes(Path.Combine(SeedFiles.RepositoryRoot(), "docs", "explorer.png"), browser.Screenshot());
        }
    }

    /// <summary>The page shows step <paramref name="step"/>: its number, and every page's fields after it, the ones
    /// that differ from the step before marked changed.</summary>
    static void Shows(Chromium browser, int step, List<string[]> pages)
    {
        Assert.Equal(step.ToString(), browser.Text("#current"));
        Assert.Equal(step.ToString(), browser.Evaluate("document.body.getAttribute('data-step')")?.ToString());
        Assert.Equal([step.ToString()], Texts(browser, "#steps li.current", "e.getAttribute('data-step')"));
        var cells = Texts(browser, "#pages tbody tr", "Array.from(e.querySelectorAll('td')).map(function(td){return (td.classList.contains('changed')?'*':'')+td.textContent;}).join('|')");
        Assert.Equal(pages[step].Length, cells.Length);
        for (int p = 0; p < cells.Length; p++)
        {
            var now = PageText.Match(pages[step][p]).Groups.Values.Skip(1).Select(g => g.Value).ToArray();
            var before = PageText.Match(pages[Math.Max(0, step - 1)][p]).Groups.Values.Skip(1).Select(g => g.Value).ToArray();
            var expected = now.Select((f, i) => (step > 0 && f != before[i] ? "*" : "") + f);
            Assert.Equal(string.Join("|", expected), cells[p]);
        }
    }

    /// <summary>One string per element <paramref name="selector"/> matches: <paramref name="of"/> evaluated with the element as <c>e</c>.</summary>
    static string[] Texts(Chromium browser, string selector, string of) =>
        browser.Evaluate($"Array.from(document.querySelectorAll({JsonSerializer.Serialize(selector)})).map(function(e){{return {of};}})")!
            .AsArray().Select(n => (string)n!).ToArray();
}
