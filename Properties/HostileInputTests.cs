using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using PageHintVerify.Properties.Counterexamples;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>
/// Every loader, fed its own good files with random damage (spans cut or doubled, characters and JSON or DOT tokens
/// dropped in), either reads the text or refuses it with its input exception on one line; an accepted counterexample
/// replays to a verdict. The damage is drawn from fixed seeds, so a failure is the same on every run.
/// </summary>
public sealed class HostileInputTests
{
    static readonly string[] Tokens =
    [
        "null", "0", "-1", "0.5", "1e12", "-0", "99999999999999999999", "\"\"", "[]", "{}", "[[]]", "[null]", "true", "\"x\"",
        "\"\\ud800\"", "\"\\u0000\"", "\"\\n\"", ",", ":", "\"", "{", "}", "[", "]", "//", "/*", "digraph {", "digraph x {",
        "->", "--", "Pz", "Up", "Ur", "Sr", "Vz", "label=", "[label=\"set stable\"]", "\\", "\n", "\u0001", "é", "😀", "\uFEFF",
    ];

    const string Characters = "{}[]:,\"\\ 0123456789.-+eE\n\r\t\u0000é;=>#/*aznulrtfsSPUV";

    /// <summary><paramref name="count"/> damaged copies of <paramref name="text"/>.</summary>
    static IEnumerable<string> Damaged(string text, int count, int seed)
    {
        var random = new Random(seed);
        for (int n = 0; n < count; n++)
        {
            var s = text;
            for (int k = random.Next(1, 4); k > 0; k--)
            {
                int at = random.Next(s.Length + 1), length = Math.Min(random.Next(1, 40), s.Length - at);
                s = random.Next(4) switch
                {
                    0 => s.Remove(at, length),
                    1 => s.Insert(at, s.Substring(at, length)),
                    2 => s.Insert(at, Characters[random.Next(Characters.Length)].ToString()),
                    _ => s.Insert(at, Tokens[random.Next(Tokens.Length)]),
                };
            }
            yield return s;
        }
    }

    static void OneLine(Exception e) => Assert.False(e.Message.Contains('\n'), e.Message);

    [Fact]
    public void DamagedConfigurationsAreReadOrRefused()
    {
        var dir = Directory.CreateTempSubdirectory("pagehint-hostile-").FullName;
        try
        {
            var good = File.ReadAllText(Path.Combine(SeedFiles.RepositoryRoot(), "configurations", "naive-p-discard-race.json"));
            var path = Path.Combine(dir, "c.json");
            foreach (var text in Damaged(good, 1000, seed: 1).Concat(Damaged("{\"pages\": 2, \"vcpus\": 1, \"variant\": \"graph2\", \"iterations\": 2}", 300, seed: 2)))
            {
                File.WriteAllText(path, text);
                try { Configuration.Load(path); }
                catch (InputException e) { OneLine(e); }
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DamagedCounterexamplesAreReadOrRefusedAndReplayToAVerdict()
    {
        foreach (var (file, seed) in new[] { ("naive-scripted-I1-data-loss-discard-pv.json", 5), ("graph2-I2-silent-read-discard-pv.json", 6) })
            foreach (var text in Damaged(File.ReadAllText(Path.Combine(CounterexampleFolderTests.Folder, file)), 200, seed))
            {
                Counterexample c;
                try { c = CounterexampleFile.Parse("c.json", text); }
                catch (InputException e)
                {
                    OneLine(e);
                    continue;
                }
                CounterexampleReplay.Run(c);
            }
    }

    [Theory]
    [InlineData("graph1", 3)]
    [InlineData("graph2", 4)]
    public void DamagedGraphsAreReadOrRefused(string graph, int seed)
    {
        foreach (var text in Damaged(SeedFiles.Text(graph), 3000, seed))
        {
            try { GraphVariant.Parse(graph, text, "g.dot"); }
            catch (ModelInputException e) { OneLine(e); }
        }
    }
}
