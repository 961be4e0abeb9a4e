using System.Text.RegularExpressions;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Engine;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Checking;

/// <summary><c>check --checkpoint DIR</c> and <c>--resume DIR</c>: a resumed search ends as an uninterrupted one,
/// down to the counterexample files, and every bad checkpoint or contradiction is one line and exit 2.</summary>
public class CheckpointCommandTests() : CommandTests("pagehint-checkpoint")
{
    /// <summary>The any guest on one page: 2,833 states in 16 levels, four invariants violated.</summary>
    static readonly string[] AnyOnePage = ["check", "--program", "any", "--all", "--quiet"];
    /// <summary>Two pages, no host thread, at cas: 1,521 states of two words (66 bits), clean.</summary>
    static readonly string[] TwoWords = ["check", "--program", "ignore-results", "--pages", "2", "--granularity", "cas", "--host-threads", "0", "--all", "--quiet"];

    string Checkpoint => Path.Combine(Dir, "ckpt");

    /// <summary>Runs the search that <paramref name="args"/> describe with checkpoints, as check does, and stops it
    /// (as Ctrl-C would) right after the checkpoint of level <paramref name="k"/> is written; distributed over
    /// <paramref name="partitions"/> in-process partitions when given.</summary>
    void StopAtLevel(int k, string[] args, int partitions = 0)
    {
        var config = CheckCommand.ReadConfiguration(new Arguments("check", args[1..]));
        Directory.CreateDirectory(Checkpoint);
        using var cancel = new CancellationTokenSource();
        var options = new SearchOptions
        {
            All = args.Contains("--all"), Symmetry = args.Contains("--symmetry"), Threads = 1, Cancellation = cancel.Token,
            Checkpoint = new CheckpointOptions(Checkpoint, Checkpoints.Fingerprint(config)) { Written = l => { if (l == k) cancel.Cancel(); } },
        };
        var search = new PageSearch(new Interleavings(config, Variants.Resolve(config.Variant)), options);
        string spec = PartitionedPageSearch.Spec(config, options);
        var r = partitions == 0 ? search.Run()
            : search.RunAsync(Engine.Distributed.InProcessCluster.Connect([.. Enumerable.Range(0, partitions).Select(i => PartitionedPageSearch.Worker(spec, i, partitions))]))
                .GetAwaiter().GetResult();
        Assert.Equal((k, $"interrupted while exploring level {k + 1}"), (r.CheckpointLevel, r.StoppedBecause));
    }

    /// <summary>The output without what may change: timings, rates and the resume line.</summary>
    static string Verdict(string output) =>
        Regex.Replace(string.Join("\n", output.Split('\n').Where(l => !l.StartsWith("resumed from", StringComparison.Ordinal))),
            @"depth (\d+).*", "depth $1");

    static Dictionary<string, string> Files(string dir) =>
        Directory.GetFiles(dir).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f));

    [Theory]
    [InlineData(3, "1", false, false)]
    [InlineData(9, "2", false, false)]
    [InlineData(5, "2", true, false)]
    [InlineData(4, "1", false, true)]
    [InlineData(10, "2", true, true)]
    public void AResumedCheckEndsWithTheCountsTracesAndSavedFilesOfAnUninterruptedOne(int k, string threads, bool symmetry, bool twoWords)
    {
        string[] args = [.. twoWords ? TwoWords : AnyOnePage, .. symmetry ? ["--symmetry"] : Array.Empty<string>()];
        StopAtLevel(k, args);
        var resumed = Run([.. args, "--threads", threads, "--resume", Checkpoint, "--save", Path.Combine(Dir, "resumed")]);
        var whole = Run([.. args, "--threads", threads, "--save", Path.Combine(Dir, "whole")]);
        Assert.Equal((whole.Code, ""), (resumed.Code, resumed.Err));
        Assert.Contains($"resumed from the checkpoint of level {k} in {Checkpoint}\n", resumed.Out.ReplaceLineEndings("\n"));
        Assert.Equal(Verdict(whole.Out).Replace(Path.Combine(Dir, "whole"), "DIR"), Verdict(resumed.Out).Replace(Path.Combine(Dir, "resumed"), "DIR"));
        Assert.Equal(Files(Path.Combine(Dir, "whole")), Files(Path.Combine(Dir, "resumed")));
    }

    [Fact]
    public void ACheckpointOfAnotherConfigurationIsRefusedNamingTheDifference()
    {
        StopAtLevel(3, AnyOnePage);
        var (code, output, errors) = Run([.. AnyOnePage, "--iterations", "2", "--resume", Checkpoint]);
        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"pagehint check: {Checkpoint}/search.checkpoint: a checkpoint of another configuration or program version: " +
            "it has \"iterations\":1 where this search has \"iterations\":2\n", errors.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--symmetry", "it has nothing else where this search has symmetry")]
    [InlineData("--hash-compact", "it has nothing else where this search has hash compaction")]
    public void ResumingWithOtherSearchOptionsIsRefused(string option, string difference)
    {
        StopAtLevel(3, AnyOnePage);
        var (code, output, errors) = Run([.. AnyOnePage, option, "--resume", Checkpoint]);
        Assert.Equal((2, ""), (code, output));
        Assert.EndsWith($"a checkpoint of another configuration or program version: {difference}\n", errors.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(0, "not a checkpoint of pagehint's search")]
    [InlineData(30, "truncated: the file ends before the checkpoint does")]
    [InlineData(-5, "truncated or corrupt: it claims")]
    public void ATruncatedCheckpointIsOneLineAndExit2(int cut, string problem)
    {
        StopAtLevel(3, AnyOnePage);
        string file = Path.Combine(Checkpoint, "search.checkpoint");
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..(cut >= 0 ? cut : bytes.Length + cut)]);
        var (code, output, errors) = Run([.. AnyOnePage, "--resume", Checkpoint]);
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith($"pagehint check: {file}: {problem}", errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Fact]
    public void ACheckpointLeftHalfWrittenByACrashIsIgnored()
    {
        StopAtLevel(6, AnyOnePage);
        File.WriteAllText(Path.Combine(Checkpoint, "search.checkpoint.tmp"), "PHVCKPT\n half");
        var (code, output, _) = Run([.. AnyOnePage, "--resume", Checkpoint]);
        Assert.Equal(1, code);
        Assert.Contains("resumed from the checkpoint of level 6", output);
    }

    [Fact]
    public void CheckpointingIntoADirectoryThatHoldsOneIsRefusedSoItsWorkIsNotLost()
    {
        StopAtLevel(3, AnyOnePage);
        var (code, output, errors) = Run([.. AnyOnePage, "--checkpoint", Checkpoint]);
        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"pagehint check: {Checkpoint}/search.checkpoint: a checkpoint is here already: go on from it with --resume {Checkpoint}, or remove it\n",
            errors.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ACompleteRunWithCheckpointsHasTheResultsOfOneWithout()
    {
        var with = Run([.. AnyOnePage, "--checkpoint", Checkpoint]);
        Assert.Equal(Verdict(Run(AnyOnePage).Out), Verdict(with.Out));
        Assert.True(File.Exists(Path.Combine(Checkpoint, "search.checkpoint")));
        Assert.False(File.Exists(Path.Combine(Checkpoint, "search.checkpoint.tmp")));
    }

    [Theory]
    [InlineData(new[] { "--resume", "DIR", "--checkpoint", "DIR" }, "give --checkpoint or --resume, not both (--resume DIR goes on writing checkpoints to DIR)")]
    [InlineData(new[] { "--checkpoint-every", "5" }, "--checkpoint-every needs --checkpoint DIR or --resume DIR")]
    [InlineData(new[] { "--checkpoint", "DIR", "--checkpoint-every", "-1" }, "--checkpoint-every takes a whole number")]
    [InlineData(new[] { "--resume", "DIR" }, "{dir}/search.checkpoint: no checkpoint here (a search writes one with a checkpoint directory)")]
    public void ContradictionsAndMissingCheckpointsAreOneLineAndExit2(string[] options, string message)
    {
        var (code, output, errors) = Run([.. AnyOnePage, .. options.Select(o => o == "DIR" ? Checkpoint : o)]);
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith("pagehint check: " + message.Replace("{dir}", Checkpoint), errors);
        Assert.Single(errors.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(0, new[] { "--cluster", "2", "--resume", "DIR" },
        "{dir}/distributed.checkpoint: no checkpoint of a distributed search here, but one of a single-process search (search.checkpoint): resume it in one process")]
    [InlineData(2, new[] { "--resume", "DIR" },
        "{dir}/search.checkpoint: no checkpoint of a single-process search here, but one of a distributed search (distributed.checkpoint): resume it distributed")]
    [InlineData(2, new[] { "--cluster", "3", "--resume", "DIR" }, "{dir}/distributed.checkpoint: a checkpoint of a search on 2 partitions, not 3: resume it on as many")]
    [InlineData(2, new[] { "--cluster", "2", "--checkpoint", "DIR" },
        "{dir}/distributed.checkpoint: a checkpoint is here already: go on from it with --resume {dir}, or remove it")]
    public void ACheckpointOfTheOtherSearchOrAnotherPartitionCountIsRefusedBeforeAnySiloStarts(int partitions, string[] options, string message)
    {
        StopAtLevel(3, AnyOnePage, partitions);
        var (code, output, errors) = Run([.. AnyOnePage, .. options.Select(o => o == "DIR" ? Checkpoint : o)]);
        Assert.Equal((2, "", $"pagehint check: {message.Replace("{dir}", Checkpoint)}\n"), (code, output, errors.ReplaceLineEndings("\n")));
    }
}
