using System.Diagnostics;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>The CI recipe (scripts/ci-recipe.sh) and the workflow that runs it.</summary>
public sealed class CiRecipeTests() : CommandTests("ci-recipe-")
{
    static readonly string Root = SeedFiles.RepositoryRoot();

    /// <summary>Runs the recipe's check step on <paramref name="check"/> with this test's build of pagehint.</summary>
    (int Code, string Err) RecipeCheck(string check, string artifacts)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Root, "scripts", "ci-recipe.sh"));
        start.ArgumentList.Add("check");
        start.Environment["PAGEHINT_CHECK"] = check;
        start.Environment["PAGEHINT_ARTIFACTS"] = artifacts;
        // The pagehint built with these tests, Release or Debug, as PagehintProcess runs it.
        start.Environment["PAGEHINT"] = $"{Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet"} {typeof(CommandLine).Assembly.Location}";
        using var process = Process.Start(start)!;
        var err = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, err.Result);
    }

    [Fact]
    public void AViolationFailsTheCheckStepAndLeavesItsArtifacts()
    {
        var artifacts = Path.Combine(Dir, "artifacts");
        var (code, err) = RecipeCheck(Path.Combine(Root, "configurations", "naive-v-discard-race.json"), artifacts);
        Assert.True(code == 1, err);
        Assert.Contains("\"verdict\": \"violation\"", File.ReadAllText(Path.Combine(artifacts, "report.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(artifacts, "counterexamples"), "*.json"));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(artifacts, "html"), "*.html"));
    }

    [Fact]
    public void ACleanConfigurationPassesTheCheckStep()
    {
        var artifacts = Path.Combine(Dir, "artifacts");
        var (code, err) = RecipeCheck("--standard one-page --granularity cas", artifacts);
        Assert.True(code == 0, err);
        Assert.Contains("\"verdict\": \"no violation\"", File.ReadAllText(Path.Combine(artifacts, "report.json")));
    }

    [Fact]
    public void AnInputErrorFailsTheCheckStepWithExit2()
    {
        var (code, err) = RecipeCheck("--pages 9", Path.Combine(Dir, "artifacts"));
        Assert.True(code == 2, err);
    }

    /// <summary>The workflow runs the recipe's steps rather than its own commands, so the two cannot drift apart.</summary>
    [Fact]
    public void TheWorkflowRunsEveryStepOfTheRecipeAndUploadsAlways()
    {
        var workflow = File.ReadAllText(Path.Combine(Root, ".github", "workflows", "pagehint.yml"));
        var runs = workflow.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("run:", StringComparison.Ordinal)).ToList();
        Assert.All(runs, r => Assert.Matches(@"^run: (sudo )?scripts/ci-recipe\.sh \w+$", r));
        // The recipe's own list of steps (what it runs with no arguments), in its order.
        var recipe = File.ReadAllText(Path.Combine(Root, "scripts", "ci-recipe.sh"));
        var all = System.Text.RegularExpressions.Regex.Match(recipe, @"steps=\(([a-z ]+)\)").Groups[1].Value.Split(' ');
        Assert.Equal(all, runs.Select(r => r.Split(' ')[^1]));
        Assert.Matches(@"if: always\(\)\s+uses: actions/upload-artifact@v\d+", workflow);
    }
}
