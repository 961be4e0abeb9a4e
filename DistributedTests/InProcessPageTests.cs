using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Engine;
using PageHintVerify.Engine.Distributed;
using PageHintVerify.Model;
namespace PageHintVerify.DistributedTests;

/// <summary>The page-hinting search partitioned in process (each partition rebuilt from the spec string, as a silo
/// would) against the single-process search: the same counts, violations, traces and saved counterexample files.</summary>
public class InProcessPageTests
{
    /// <summary>Everything a search reports that must not depend on how it ran.</summary>
    public static string Outcome(SearchResult r) =>
        $"{r.States} states, {r.Transitions} transitions, depth {r.Depth}, complete {r.Complete}, stopped {r.StoppedBecause}\n" +
        string.Join("\n", r.Violations.Select(v => $"{v.Invariant.Id}: " +
            string.Join(" | ", v.Trace.Select(t => $"{t.Step} -> {string.Join(",", t.PagesAfter)}"))));

    /// <summary>Every file <c>--save</c> writes for <paramref name="r"/>, by name.</summary>
    public static string Saved(Configuration config, SearchResult r)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pagehint-partitioned-{Guid.NewGuid():N}");
        try
        {
            CounterexampleSaver.Save(dir, config, Variants.Resolve(config.Variant), r.Violations, minimize: true, TextWriter.Null);
            return string.Join("\n", Directory.GetFiles(dir).Order().Select(f => $"{Path.GetFileName(f)}:\n{File.ReadAllText(f)}"));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    /// <summary>In-process partitions of the search, each built from <see cref="PartitionedPageSearch.Spec"/>.</summary>
    public static IPartitionHandle[] Partitions(Configuration config, SearchOptions options, int count)
    {
        string spec = PartitionedPageSearch.Spec(config, options);
        return InProcessCluster.Connect([.. Enumerable.Range(0, count).Select(i => PartitionedPageSearch.Worker(spec, i, count))]);
    }

    public static TheoryData<string, bool, bool> Configurations => new()
    {
        { "two-pages cas", true, false },      // 77 bits: two-word states, no violation
        { "one-page naive", false, false },    // one-word states, stops at the first violation
        { "one-page naive", true, false },     // every violated invariant
        { "two-pages naive", true, true },     // two-word states under symmetry, three invariants
    };

    static Configuration Named(string name) => name switch
    {
        "two-pages cas" => Configuration.Standard["two-pages"] with { Granularity = Granularity.Cas },
        "one-page naive" => new Configuration { Granularity = Granularity.Naive },
        "two-pages naive" => new Configuration { Pages = 2, Granularity = Granularity.Naive },
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task OneToFourPartitionsGiveTheSingleProcessResultsAndFiles(string name, bool all, bool symmetry)
    {
        var config = Named(name);
        var options = new SearchOptions { All = all, Symmetry = symmetry, Threads = 2 };
        var search = new PageSearch(new Interleavings(config, Variants.Resolve(config.Variant)), options);
        var one = search.Run();
        foreach (int count in new[] { 1, 2, 3, 4 })
        {
            var partitioned = await search.RunAsync(Partitions(config, options, count));
            Assert.Equal(Outcome(one), Outcome(partitioned));
            if (one.Violations.Count > 0) Assert.Equal(Saved(config, one), Saved(config, partitioned));
        }
    }
}
