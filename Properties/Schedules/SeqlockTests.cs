using PageHintVerify.Schedules;
using Xunit;
using Xunit.Abstractions;

namespace PageHintVerify.Properties.Schedules;

/// <summary>A table that is not the project's, a seqlock, under the scheduler: it passes; its broken variant is caught.</summary>
[Trait("Category", "Interleavings")]
public class SeqlockTests(ITestOutputHelper output)
{
    [Trait("Category", "Slow")]
    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void TheSeqlockTablePassesEveryInterleaving(string scenario) =>
        Assert.True(ScenarioSearch.AssertPasses(scenario, Scenarios.All[scenario], "seqlock").Complete);

    [Fact]
    public void ASeqlockThatReleasesBeforeItsCellStoresIsCaught()
    {
        var failures = Scenarios.All.Select(s => (s.Key, s.Value, ScenarioSearch.Explore(s.Value, "seqlock-early-release").Failure))
            .Where(f => f.Failure is not null).ToList();
        Assert.NotEmpty(failures);
        var (name, scenario, failure) = failures[0];
        output.WriteLine($"{failures.Count} of {Scenarios.All.Count} scenarios fail\n" +
                         ScenarioSearch.Report(name, scenario, "seqlock-early-release", failure!));
    }
}
