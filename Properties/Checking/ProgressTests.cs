using System.Text.RegularExpressions;
using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>The search's progress lines: the level being expanded, its share done, and the frontier.</summary>
public class ProgressTests
{
    [Fact]
    public void ALineGivesTheLevelItsShareDoneAndTheFrontier()
    {
        // 82 of level 23's 200 states expanded, 50 new successors found: 118 waiting + 50 = 168 in the frontier.
        var line = SearchProgress.Line(states: 1_000, level: 23, levelSize: 200, expanded: 82, found: 50, seconds: 2, workingSet: 1 << 20);
        Assert.Matches(@"^\s+1,000 states  level  23  41%  frontier\s+168\s", line);
    }

    [Fact]
    public void ASearchWritesSuchLinesWithinItsBoundsAndFindsWhatItFindsWithoutThem()
    {
        var config = new Configuration { Pages = 2, Granularity = Granularity.Cas };
        var system = new Interleavings(config, Variants.Resolve(config.Variant));
        var lines = new StringWriter();
        var watched = new PageSearch(system, new SearchOptions
        {
            Threads = 2, Progress = TextWriter.Synchronized(lines), ProgressInterval = TimeSpan.FromMilliseconds(1),
        }).Run();
        var quiet = new PageSearch(new Interleavings(config, Variants.Resolve(config.Variant)), new SearchOptions { Threads = 2 }).Run();
        Assert.Equal(quiet.States, watched.States);
        // How many lines come depends on the timer's thread getting a turn, so only their form and bounds are held.
        var line = new Regex(@"^\s+([\d,]+) states  level\s+(\d+)\s+(\d{1,3})%  frontier\s+([\d,]+)\s+[\d,]+ states/s  ");
        foreach (var printed in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var m = line.Match(printed);
            Assert.True(m.Success, printed);
            long Number(int group) => long.Parse(m.Groups[group].Value.Replace(",", ""));
            Assert.InRange(Number(1), 1, watched.States);
            Assert.InRange(Number(2), 0, watched.Depth);
            Assert.InRange(Number(3), 0, 100);
            Assert.InRange(Number(4), 0, watched.Transitions);
        }
    }
}
