using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Counterexamples;

/// <summary>Every file under <c>counterexamples/</c> still reproduces exactly what it records (SPEC section 7).</summary>
public sealed class CounterexampleFolderTests
{
    public static string Folder => Path.Combine(SeedFiles.RepositoryRoot(), "counterexamples");

    /// <summary>One case per file, named after it.</summary>
    public static TheoryData<string> Files() => new(Directory.GetFiles(Folder, "*.json").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Files))]
    public void Reproduces(string file)
    {
        Counterexample c;
        try { c = CounterexampleFile.Read(Path.Combine(Folder, file)); }
        catch (InputException e) { Assert.Fail($"{file} is malformed: {e.Message}"); return; }
        var verdict = CounterexampleReplay.Run(c);
        Assert.True(verdict.Reproduces, $"{file} no longer reproduces: {verdict.Divergence}");
    }

    [Theory]
    [InlineData("naive-I2-silent-read-discard-volatile.json", "I2")]
    [InlineData("naive-scripted-I1-data-loss-discard-pv.json", "I1")]
    [InlineData("graph2-I2-silent-read-discard-pv.json", "I2")]
    [InlineData("ignore-results-I1-data-loss-discard-volatile.json", "I1")]
    [InlineData("naive-I1-data-loss-swap-out.json", "I1")]
    public void HoldsEveryFindingOfTheCheckerIssue(string file, string invariant)
    {
        var c = CounterexampleFile.Read(Path.Combine(Folder, file));
        Assert.Equal(invariant, c.Invariant.Id);
        Assert.True(c.ShortestSteps >= c.Steps.Count, $"{file}: minimized to {c.Steps.Count} steps from {c.ShortestSteps}");
    }
}
