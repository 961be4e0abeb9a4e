using PageHintVerify.Properties.Graphs;
using PageHintVerify.Schedules;
using PageHintVerify.TestKit;
using Xunit;

namespace PageHintVerify.Properties.Schedules;

/// <summary>Every file under <c>schedules/</c> replays to exactly what it records; a malformed one is refused by name.</summary>
[Trait("Category", "Interleavings")]
public sealed class ScheduleFolderTests
{
    public static string Folder => Path.Combine(SeedFiles.RepositoryRoot(), "schedules");

    static IEnumerable<string> Names => Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order();

    public static TheoryData<string> Files() => new(Names);

    [Theory]
    [MemberData(nameof(Files))]
    public void Reproduces(string file)
    {
        ScheduleFile saved;
        try { saved = ScheduledTables.Read(Path.Combine(Folder, file)); }
        catch (InvalidDataException e) { Assert.Fail($"{file} is malformed: {e.Message}"); return; }
        var replayed = saved.Replay();
        Assert.True(replayed.Verdict == saved.Verdict && replayed.Message == saved.Message,
            $"{file} no longer reproduces: it records {saved.Verdict}: {saved.Message}, the replay ends " +
            $"{replayed.Verdict}: {replayed.Message}\n{InterleavingTable.Format(replayed)}");
    }

    /// <summary>Each saved schedule drawn as the sequence chart: a row per access, the verdict under it, well-formed SVG.</summary>
    [Theory]
    [MemberData(nameof(Files))]
    public void DrawsAsASequenceChart(string file)
    {
        var saved = ScheduledTables.Read(Path.Combine(Folder, file));
        var replayed = saved.Replay();
        Directory.CreateDirectory(ScenarioSearch.SaveFolder);
        string svg = Path.Combine(ScenarioSearch.SaveFolder, Path.ChangeExtension(file, ".svg"));
        ScheduleChart.Write(svg, file, saved.Scenario.Initial, replayed);
        var chart = System.Xml.Linq.XDocument.Load(svg);
        var texts = chart.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToArray();
        Assert.Contains($"{saved.Verdict}: {saved.Message}", texts);
        Assert.Equal(replayed.Trace.Count, texts.Count(t => t.Contains(": load ") || t.Contains(": cas ") || t.Contains(": store ")
            || t.Contains(": read ") || t.Contains(": write ")));
    }

    [Fact]
    public void TheFolderHoldsAViolationADeadlockAndALivelock() =>
        Assert.Equal(new[] { Verdict.Violation, Verdict.Deadlock, Verdict.Livelock },
            Names.Select(f => ScheduledTables.Read(Path.Combine(Folder, f)).Verdict).Distinct().Order());

    [Theory]
    [InlineData("[]", "the file is not a JSON object")]
    [InlineData("{", "not JSON")]
    [InlineData("""{"table": "lock-free", "extra": 1}""", "unknown field 'extra'")]
    [InlineData("""{"table": "spinlock"}""", "unknown table 'spinlock' (tables: lock-free, torn-cas, lost-release, failing-cas, seqlock, seqlock-early-release)")]
    [InlineData("""{"table": "lock-free", "initial": ["Sz d=0 mem=10 disk=00 want=⊥⊥"]}""", "initial page \"Sz d=0 mem=10 disk=00 want=⊥⊥\" is not a well-formed page")]
    [InlineData("""{"table": "lock-free", "initial": ["Sr d=0 mem=10 disk=00 want=⊥⊥"], "threads": [["p1 read(0)"]]}""", "'p1 read(0)' does not start with a page p0..p0")]
    [InlineData("""{"table": "lock-free", "initial": ["Sr d=0 mem=10 disk=00 want=⊥⊥"], "threads": [["p0 write(0)=3"]]}""", "'p0 write(0)=3': a write stores 1 or 2")]
    [InlineData("""{"table": "lock-free", "initial": ["Sr d=0 mem=10 disk=00 want=⊥⊥"], "threads": [["p0 read(0)"]], "schedule": "1x1"}""", "schedule: '1x1' names thread 1, but there are 1 threads")]
    [InlineData("""{"table": "lock-free", "initial": ["Sr d=0 mem=10 disk=00 want=⊥⊥"], "threads": [["p0 read(0)"]], "schedule": "0x3", "contextSwitches": 2}""", "'contextSwitches' is 2, but the schedule has 0")]
    [InlineData("""{"table": "lock-free", "initial": ["Sr d=0 mem=10 disk=00 want=⊥⊥"], "threads": [["p0 read(0)"]], "schedule": "0x3", "verdict": "Pruned"}""", "unknown verdict 'Pruned'")]
    [InlineData("""{"table": "lock-free", "initial": ["Sr d=0 mem=10 disk=00 want=⊥⊥"], "threads": [["p0 read(0)"]], "schedule": "0x3", "verdict": "Passed"}""", "'message' is missing or not a string")]
    public void AMalformedFileIsRefusedByName(string json, string problem)
    {
        string path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, json);
            var e = Assert.Throws<InvalidDataException>(() => ScheduledTables.Read(path));
            Assert.StartsWith($"{Path.GetFileName(path)}: ", e.Message);
            Assert.Contains(problem, e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AWellFormedFileThatNoLongerFitsReportsTheDivergence()
    {
        var saved = ScheduledTables.Read(Path.Combine(Folder, "torn-cas-discard-p-write.json"));
        var onTheRealTable = saved with { Table = ScheduledTables.ByName["lock-free"] };
        var replayed = onTheRealTable.Replay();
        Assert.NotEqual((saved.Verdict, saved.Message), (replayed.Verdict, replayed.Message));
    }
}
