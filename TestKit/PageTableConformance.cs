using PageHintVerify.Checker.Exploration;
using PageHintVerify.Engine;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Schedules;
using Xunit;
using Xunit.Abstractions;

namespace PageHintVerify.TestKit;

/// <summary>
/// The project's page-table tests for any table: derive a public test class, override <see cref="Create{TMemory}"/>,
/// and xunit runs every test below on your table. The table is a <see cref="PageStateTable"/> generic over the seam
/// (<see cref="IMemory"/>) that makes every access to a page's word and cells through <c>TMemory</c>:
/// <list type="bullet">
/// <item>on <see cref="HardwareMemory"/>, random operation sequences agree with the reference model step by step;</item>
/// <item>on <see cref="NoisyMemory"/>, 2–4 real threads whose operations overlap leave linearizable histories that end in
/// the table's final state;</item>
/// <item>on <see cref="ScheduledMemory"/>, every interleaving of small scenarios passes the same check, and never
/// deadlocks or livelocks (trait <c>Category=Interleavings</c>);</item>
/// <item>the model checker's <c>cas</c> granularity, which takes the table's steps (load, swap, the work under the pin,
/// release) deciding with <see cref="Algorithm"/>, finds no invariant violated by any interleaving of two vCPUs running
/// the page cache on two pages and a host reclaim thread.</item>
/// </list>
/// A failure says how to replay it: the FsCheck seed to set, or the schedule file saved for <see cref="Replay"/>.
/// Each test is also a method a test can call, to check that a broken table fails it.
/// </summary>
public abstract class PageTableConformance(ITestOutputHelper? output = null)
{
    /// <summary>
    /// A new table whose pages start in <paramref name="pages"/> (well-formed states), every shared-memory access through
    /// <typeparamref name="TMemory"/>. Called with <see cref="HardwareMemory"/>, <see cref="NoisyMemory"/> and
    /// <see cref="ScheduledMemory"/>.
    /// </summary>
    protected abstract PageStateTable Create<TMemory>(IReadOnlyList<PageState> pages) where TMemory : struct, IMemory;

    /// <summary>The name saved schedule files give the table; the test class's name unless overridden.</summary>
    protected virtual string TableName => GetType().Name;

    /// <summary>Draws a failing schedule beside its saved file; none unless overridden.</summary>
    protected virtual ScenarioSearch.Drawing? Draw => null;

    /// <summary>
    /// The decision your table takes from a loaded word (what to swap in, whether to pin, what to return), which the
    /// checker's <c>cas</c> granularity explores; the project's <see cref="CasAlgorithm"/> unless overridden.
    /// </summary>
    protected virtual IPageAlgorithm Algorithm => CasAlgorithm.Instance;

    /// <summary>The table under the scheduler, as schedule files name it.</summary>
    public ScheduledTable Scheduled => new(TableName, pages => Create<ScheduledMemory>(pages));

    /// <summary>Sequential differential: 1,000 random operation sequences, each beside the reference model.</summary>
    [Fact]
    public void TheTableAgreesWithTheModelSequentially() => Differential.AssertAgrees(pages => Create<HardwareMemory>(pages));

    /// <summary>Linearizability under noise: 1,000 runs of 2–4 real threads, at least half with operations overlapping.</summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void HistoriesAreLinearizablePerPageUnderNoise()
    {
        string seen = ConcurrentRuns.AssertLinearizable(pages => Create<NoisyMemory>(pages));
        output?.WriteLine(seen);
    }

    /// <summary>Every interleaving of one of <see cref="Scenarios.All"/>.</summary>
    [Trait("Category", "Interleavings")]
    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void TheRealTablePassesEveryInterleaving(string scenario) => PassesEveryInterleaving(scenario, Scenarios.All[scenario]);

    /// <summary>Every interleaving of a scenario drawn from a seed (<see cref="Scenarios.Random"/>).</summary>
    [Trait("Category", "Interleavings")]
    [Theory]
    [InlineData(1), InlineData(2), InlineData(3), InlineData(4), InlineData(5), InlineData(6), InlineData(7), InlineData(8)]
    [InlineData(9), InlineData(10), InlineData(11), InlineData(12), InlineData(13), InlineData(14), InlineData(15), InlineData(16)]
    public void TheRealTablePassesEveryInterleavingOfARandomScenario(int seed) =>
        PassesEveryInterleaving($"random-{seed}", Scenarios.Random(seed));

    void PassesEveryInterleaving(string name, ConcurrentScenario scenario)
    {
        var found = ScenarioSearch.AssertPasses(name, scenario, Scheduled, Draw);
        Assert.True(found.Complete);
        output?.WriteLine($"{name}: {found.Executions:N0} executions, {found.Pruned:N0} cut short, " +
                          $"{found.Elapsed.TotalSeconds:0.00} s, {found.ExecutionsPerSecond:N0} per second");
    }

    /// <summary>Model checking: every interleaving of the <c>cas</c> steps deciding with <see cref="Algorithm"/>, two
    /// vCPUs running the page cache on two pages and one host thread (<c>pagehint check --standard two-pages --granularity
    /// cas</c>), violates no invariant; a failure shows the shortest trace.</summary>
    [Fact]
    public void TheCheckerFindsNoViolationAtCas()
    {
        var system = new Interleavings(Configuration.Standard["two-pages"] with { Granularity = Granularity.Cas }, Protocol.Reference, Algorithm);
        var result = new PageSearch(system, new SearchOptions { Threads = 2 }).Run();
        Assert.Null(result.StoppedBecause);
        if (result.Violations.Count == 0)
        {
            output?.WriteLine($"no violation: {result.States:N0} states, {result.Transitions:N0} transitions");
            return;
        }
        var trace = new StringWriter();
        TraceTable.Write(trace, system, result.Violations[0]);
        Assert.Fail($"{TableName}'s decisions at cas:{Environment.NewLine}{trace}");
    }

    /// <summary>Replays a schedule file a failure saved (its table must be this one's <see cref="TableName"/>).</summary>
    public ExecutionResult Replay(string path) =>
        ScheduleFile.Read(path, new Dictionary<string, ScheduledTable> { [TableName] = Scheduled }).Replay();
}
