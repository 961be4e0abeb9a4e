using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.Properties.Exploration;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary>The races the checker issue says must be found, and the clean runs with their exact state counts.</summary>
public class CheckerFindingTests
{
    static SearchResult Check(Configuration config, bool all = true, int threads = 2) =>
        new PageSearch(new Interleavings(config, Variants.Resolve(config.Variant)), new SearchOptions { All = all, Threads = threads }).Run();

    static Violation Found(SearchResult r, string id) =>
        r.Violations.SingleOrDefault(v => v.Invariant.Id == id)
        ?? throw new Xunit.Sdk.XunitException($"{id} not found; found: {string.Join(", ", r.Violations.Select(v => v.Invariant.Id))}");

    static bool Has(Violation v, Operation op, Func<TraceStep, bool>? also = null) =>
        v.Trace.Any(t => t.Step.Op.Op == op && (also is null || also(t)));

    static readonly Func<TraceStep, bool> OnVolatile = t => t.Step.Before.G == GuestState.Volatile;
    static readonly Func<TraceStep, bool> OnPotentiallyVolatile = t => t.Step.Before.G == GuestState.PotentiallyVolatile;

    [Fact]
    public void NaiveHostDiscardOfAVolatilePageRacingSetStableIfPresentIsASilentRead()
    {
        var v = Found(Check(new Configuration { Granularity = Granularity.Naive }), "I2");
        Assert.Equal(13, v.Trace.Count);
        Assert.True(Has(v, Operation.HostReclaim, OnVolatile), "the trace discards a volatile page");
        Assert.True(Has(v, Operation.SetStableIfPresent, t => t.Step.Phase == Phase.Load && t.Step.Before.GH == "Vr"));
        // The race: the guest decided on Vr, the host discarded in between, the guest's stale store made it Sr.
        var store = v.Trace.Single(t => t.Step.Op.Op == Operation.SetStableIfPresent && t.Step.Phase == Phase.Store);
        Assert.Equal("Vz", store.Step.Before.GH.ToString());
        Assert.Equal(Outcome.Ok, store.Step.Result.Outcome);
        Assert.Equal(Operation.Read, v.Trace[^1].Step.Op.Op);
    }

    static Configuration PotentiallyVolatileWriteRace(Granularity g) => new()
    {
        Program = ProgramKind.Scripted, Granularity = g,
        Scripts = [["set_stable 0", "read(0) 0", "set_volatile(w=1) 0", "write(1) 0"]],
    };

    [Fact]
    public void NaiveHostDiscardOfAPotentiallyVolatilePageRacingAGuestWriteLosesTheWrite()
    {
        var r = Check(PotentiallyVolatileWriteRace(Granularity.Naive));
        var clean = Found(r, "I4");   // discarded as clean, though the write made it dirty: not recreatable
        Assert.Equal(10, clean.Trace.Count);
        Assert.True(Has(clean, Operation.HostReclaim, OnPotentiallyVolatile));
        Assert.Equal("Vz", clean.Trace[^1].PagesAfter[0].GH.ToString());
        var dirty = Found(r, "I1");   // preserved before the data store: the store lands nowhere
        Assert.Equal(10, dirty.Trace.Count);
        Assert.True(Has(dirty, Operation.HostReclaim, OnPotentiallyVolatile));
        Assert.Equal(Phase.StoreData, dirty.Trace[^1].Step.Phase);
    }

    [Fact]
    public void CasWritePinsThePageSoTheSameRaceIsGone()
    {
        var r = Check(PotentiallyVolatileWriteRace(Granularity.Cas));
        Assert.Empty(r.Violations);
        Assert.Equal(41, r.States);
    }

    [Fact]
    public void Graph2GuestWriteEdgeOutOfVzGivesASilentRead()
    {
        var v = Found(Check(new Configuration { Variant = "graph2" }), "I2");
        Assert.Equal(8, v.Trace.Count);
        var write = v.Trace.Single(t => t.Step.Op.Op == Operation.Write && t.Step.Before.GH == "Vz");
        Assert.Equal("Vr", write.PagesAfter[0].GH.ToString());
        Assert.Equal(0, v.Trace[^1].Step.Result.Value);
        Assert.NotEqual(0, v.Trace[^1].Step.Before.Want(v.Trace[^1].Step.Op.Cell));
    }

    [Fact]
    public void AGuestThatIgnoresSetOperationResultsLosesAStablePage()
    {
        var r = Check(new Configuration { Program = ProgramKind.IgnoreResults }, all: false);
        var v = Assert.Single(r.Violations);
        Assert.Equal("I1", v.Invariant.Id);
        Assert.Equal(6, v.Trace.Count);
        Assert.Equal(Operation.SetStable, v.Trace[^1].Step.Op.Op);
        Assert.Equal("Vz", v.Trace[^1].Step.Before.GH.ToString());
    }

    [Theory]
    [InlineData("one-page", Granularity.Atomic, 182)]
    [InlineData("one-page", Granularity.Cas, 2_068)]
    [InlineData("two-pages", Granularity.Atomic, 1_296)]
    [InlineData("two-pages", Granularity.Cas, 58_240)]
    [InlineData("three-pages", Granularity.Atomic, 11_376)]
    // three-pages at cas (15,202,578 states, the slowest) is searched once, by CollapsedStoreTests.
    public void ReferencePageCacheIsCleanOnEveryStandardConfiguration(string name, Granularity g, long states)
    {
        var r = Check(Configuration.Standard[name] with { Granularity = g });
        Assert.Empty(r.Violations);
        Assert.True(r.Complete);
        Assert.Equal(states, r.States);
    }

    [Fact]
    public void NaiveIsNotCleanOnTheStandardConfigurations()
    {
        Assert.NotEmpty(Check(Configuration.Standard["one-page"] with { Granularity = Granularity.Naive }, all: false).Violations);
    }

    [Theory]
    [InlineData(Granularity.Naive, "reference", ProgramKind.PageCache)]
    [InlineData(Granularity.Atomic, "graph2", ProgramKind.PageCache)]
    [InlineData(Granularity.Cas, "reference", ProgramKind.Any)]
    public void ResultsAndTracesDoNotDependOnTheThreadCount(Granularity g, string variant, ProgramKind program)
    {
        var config = new Configuration { Granularity = g, Variant = variant, Program = program, Pages = program == ProgramKind.Any ? 1 : 2 };
        var one = Check(config, threads: 1);
        var two = Check(config, threads: 2);
        Assert.Equal(one.States, two.States);
        Assert.Equal(one.Transitions, two.Transitions);
        Assert.Equal(SearchTests.Describe(one), SearchTests.Describe(two));
    }
}
