using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PageHintVerify.DistributedTests;

/// <summary><c>pagehint check --cluster N</c>: silos as processes of the pagehint program on this machine.</summary>
public class ClusterProcessTests
{
    static readonly string Pagehint = Path.Combine(AppContext.BaseDirectory, "pagehint.dll");

    static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Pagehint, .. args]) start.ArgumentList.Add(a);
        return Process.Start(start)!;
    }

    static (int Exit, string Out, string Err) Run(params string[] args)
    {
        using var p = Start(args);
        var output = p.StandardOutput.ReadToEndAsync();
        var errors = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(3)), "pagehint did not finish");
        return (p.ExitCode, output.Result, errors.Result);
    }

    /// <summary>The report without what depends on how it ran: the cluster and distribution lines, and the summary's
    /// time, rate, memory and threads.</summary>
    static string Report(string output) => string.Join("\n", output.Split('\n')
        .Where(l => !l.StartsWith("searching on ", StringComparison.Ordinal) && !l.StartsWith("sent between partitions: ", StringComparison.Ordinal)
            && !l.StartsWith("  partition ", StringComparison.Ordinal))
        .Select(l => Regex.Replace(l, @", [0-9.]+ s, .*$", "")));

    static string SavedFiles(string dir) =>
        string.Join("\n", Directory.GetFiles(dir).Order().Select(f => $"{Path.GetFileName(f)}:\n{File.ReadAllText(f)}"));

    [Fact]
    public void TwoSiloProcessesReportAndSaveWhatOneProcessDoes()
    {
        string one = Directory.CreateTempSubdirectory("pagehint-one-").FullName, two = Directory.CreateTempSubdirectory("pagehint-two-").FullName;
        try
        {
            string[] check = ["check", "--pages", "2", "--granularity", "naive", "--all", "--symmetry", "--quiet", "--no-minimize"];
            var single = Run([.. check, "--save", one]);
            var cluster = Run([.. check, "--save", two, "--cluster", "2"]);
            Assert.Equal((1, ""), (single.Exit, single.Err));
            Assert.Equal((1, ""), (cluster.Exit, cluster.Err));
            Assert.Contains("searching on 2 partitions: silo 0 (127.0.0.1:", cluster.Out);
            // Which silo process Orleans places partition 0 on varies.
            Assert.Matches(@"\n  partition 0: [0-9,]+ states, [0-9,]+ states/s on silo [01] \(127\.0\.0\.1:[0-9]+, process [0-9]+\), its peak memory [0-9.]+ [KMG]iB\n" +
                @"  partition 1: [0-9,]+ states, [0-9,]+ states/s on silo [01] .*, its peak memory", cluster.Out);
            Assert.Matches(@"\nsent between partitions: [0-9,]+ candidates \(24 bytes each\) and [0-9,]+ tags \(8 bytes\)", cluster.Out);
            Assert.Equal(Report(single.Out).Replace(one, "DIR"), Report(cluster.Out).Replace(two, "DIR"));
            Assert.Equal(SavedFiles(one), SavedFiles(two));
        }
        finally
        {
            Directory.Delete(one, true);
            Directory.Delete(two, true);
        }
    }

    [Fact]
    public async Task AKilledSiloStopsTheSearchNamingTheSiloAndTheLevel()
    {
        // The two-page any model takes minutes on two silos: the kill comes seconds after the search started.
        using var p = Start("check", "--standard", "two-pages", "--program", "any", "--all", "--quiet", "--cluster", "2");
        var errors = p.StandardError.ReadToEndAsync();
        string? line;
        while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("searching on", StringComparison.Ordinal)) { }
        Assert.NotNull(line);
        int victim = int.Parse(Regex.Match(line, @"silo 1 \(127\.0\.0\.1:\d+, process (\d+)\)").Groups[1].Value);
        await Task.Delay(TimeSpan.FromSeconds(3));
        using (var silo = Process.GetProcessById(victim)) silo.Kill();
        var rest = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "the search did not stop");
        Assert.Equal(3, p.ExitCode);
        Assert.Matches(@"^pagehint check: stopped: silo 1 \(127\.0\.0\.1:\d+, process \d+\) (exited with code \d+|stopped answering) while exploring level \d+\n$",
            await errors);
        Assert.Equal("", rest);
    }

    [Fact]
    public async Task AfterAKilledSiloTheSearchResumesFromItsLastCheckpointWithTheUninterruptedResults()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pagehint-cluster-checkpoint-{Guid.NewGuid():N}");
        try
        {
            // 110,353 states in 42 levels, three invariants violated: seconds on two silos.
            string[] check = ["check", "--pages", "2", "--granularity", "naive", "--all", "--quiet"];
            var single = Run(check);
            using (var p = Start([.. check, "--cluster", "2", "--checkpoint", dir]))
            {
                var errors = p.StandardError.ReadToEndAsync();
                string? line;
                while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith("searching on", StringComparison.Ordinal)) { }
                Assert.NotNull(line);
                int victim = int.Parse(Regex.Match(line, @"silo 1 \(127\.0\.0\.1:\d+, process (\d+)\)").Groups[1].Value);
                // The kill comes once the first checkpoint is committed, with some 40 levels to go.
                while (!File.Exists(Path.Combine(dir, "distributed.checkpoint")) && !p.HasExited) await Task.Delay(20);
                using (var silo = Process.GetProcessById(victim)) silo.Kill();
                var rest = p.StandardOutput.ReadToEnd();
                Assert.True(p.WaitForExit(TimeSpan.FromMinutes(2)), "the search did not stop");
                Assert.Equal((3, ""), (p.ExitCode, rest));
                Assert.Matches(@"^pagehint check: stopped: silo 1 \(127\.0\.0\.1:\d+, process \d+\) (exited with code \d+|stopped answering) while exploring level \d+; " +
                    $"the checkpoint in {Regex.Escape(dir)} holds level \\d+: run the same command with --checkpoint replaced by --resume {Regex.Escape(dir)} to go on\n$",
                    await errors);
            }
            var resumed = Run([.. check, "--cluster", "2", "--resume", dir]);
            Assert.Equal((1, ""), (resumed.Exit, resumed.Err));
            Assert.Matches($"\nresumed from the checkpoint of level \\d+ in {Regex.Escape(dir)}\n", resumed.Out);
            Assert.Equal(Report(single.Out), Report(Regex.Replace(resumed.Out, "\nresumed from .*", "")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ClusterAndJoinTogetherAreRefusedInOneLine()
    {
        var r = Run("check", "--cluster", "2", "--join", "127.0.0.1:30000");
        Assert.Equal((2, "", "pagehint check: give --cluster or --join, not both\n"), (r.Exit, r.Out, r.Err));
    }

    [Fact]
    public void AJoinWhereNoClusterAnswersIsRefusedInOneLine()
    {
        var r = Run("check", "--quiet", "--join", "127.0.0.1:1");
        Assert.Equal(2, r.Exit);
        Assert.Matches(@"^pagehint check: --join 127\.0\.0\.1:1: no cluster answered there \(.*\)\n$", r.Err);
    }
}
