using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Engine;
using Xunit;

namespace PageHintVerify.Properties.Bench;

/// <summary>The C yardstick must search the model pagehint searches: the same states and transitions, built from the model
/// file bench writes.</summary>
public class YardstickTests
{
    static (SearchResult Ours, Yardstick.Outcome C) Both(Configuration c)
    {
        Assert.True(Yardstick.Available, "gcc is not installed (scripts/prereqs.sh installs it)");
        var system = new Interleavings(c, Model.Variants.Resolve(c.Variant));
        var ours = new PageSearch(system, new SearchOptions { All = true, Threads = 2 }).Run();
        var dir = Directory.CreateTempSubdirectory("pagehint-yardstick-test").FullName;
        try
        {
            Yardstick.Build(dir, system);
            return (ours, Yardstick.Run(dir, ours.States));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData(1, ProgramKind.Any, Granularity.Cas)]
    [InlineData(2, ProgramKind.PageCache, Granularity.Atomic)]
    [InlineData(1, ProgramKind.PageCache, Granularity.Naive)]
    [InlineData(1, ProgramKind.Any, Granularity.Atomic)]
    public void TheYardstickCountsPagehintsStatesTransitionsAndDepth(int pages, ProgramKind program, Granularity granularity)
    {
        var (ours, c) = Both(new Configuration { Pages = pages, Program = program, Granularity = granularity });
        Assert.Equal(ours.States, c.States);
        Assert.Equal(ours.Transitions, c.Transitions);
        Assert.Equal(ours.Depth, c.Depth);
    }

    [Fact]
    public void AModelOfTwoWordStatesIsRefusedInOneLine()
    {
        var c = new Configuration { Pages = 4, Vcpus = 2, HostThreads = 1, Granularity = Granularity.Cas };
        var system = new Interleavings(c, Model.Variants.Resolve(c.Variant));
        var e = Assert.Throws<UsageException>(() => Yardstick.WriteModel(TextWriter.Null, system));
        Assert.Contains("one word", e.Message);
    }
}
