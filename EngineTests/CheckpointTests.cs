using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

public sealed class CheckpointTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("checkpoint-tests-").FullName;
    string CheckpointPath => Path.Combine(_dir, "search.checkpoint");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Five counters to 7 with an alarm at 5: 32,768 states in 36 levels, both properties violated; with
    /// padding its states are two words.</summary>
    static Counters Toy(bool twoWords = false, bool symmetric = false) => new(5, 7, alarm: 5, padding: twoWords ? 62 : 0, symmetric: symmetric);

    /// <summary>Searches with checkpoints in <see cref="_dir"/>; cancels right after writing the checkpoint of level
    /// <paramref name="stopAt"/>, so the search stops exploring the level after.</summary>
    SearchReport<string> Search(Counters system, bool resume = false, int? stopAt = null, int threads = 1, bool symmetry = false,
        bool compact = false, bool all = true, string fingerprint = "toy", TimeSpan every = default)
    {
        using var cancel = new CancellationTokenSource();
        var checkpoint = new CheckpointOptions(_dir, fingerprint)
        {
            Resume = resume, Every = every, Written = level => { if (level == stopAt) cancel.Cancel(); },
        };
        var options = new SearchOptions { All = all, Threads = threads, Symmetry = symmetry, HashCompact = compact, Cancellation = cancel.Token, Checkpoint = checkpoint };
        return new BreadthFirstSearch<Counters, string>(system, options).Run();
    }

    static SearchReport<string> Uninterrupted(Counters system, int threads = 1, bool symmetry = false, bool compact = false, bool all = true) =>
        new BreadthFirstSearch<Counters, string>(system, new SearchOptions { All = all, Threads = threads, Symmetry = symmetry, HashCompact = compact }).Run();

    /// <summary>What must not change with a resume: the counts, and each violation with its whole trace.</summary>
    static object Results(SearchReport<string> r) => (r.States, r.Transitions, r.Depth, r.Complete, r.StoppedBecause,
        string.Join(" | ", r.Violations.Select(v => $"{v.Property}: {string.Join(" ", v.Trace.Select(t => $"{t.Step}>{t.State}"))}")));

    [Theory]
    [InlineData(1, 1, false, false)]
    [InlineData(7, 1, false, false)]
    [InlineData(20, 2, false, false)]
    [InlineData(7, 2, true, false)]
    [InlineData(20, 1, true, false)]
    [InlineData(7, 1, false, true)]
    [InlineData(20, 2, false, true)]
    [InlineData(7, 2, true, true)]
    public void ResumingAfterAStopAtLevelKEndsWithTheResultsOfAnUninterruptedRun(int k, int threads, bool twoWords, bool symmetry)
    {
        var system = Toy(twoWords, symmetry);
        var stopped = Search(system, stopAt: k, threads: threads, symmetry: symmetry);
        Assert.Equal($"interrupted while exploring level {k + 1}", stopped.StoppedBecause);
        Assert.Equal(k, stopped.CheckpointLevel);

        // Resumed on the other thread count: results do not depend on it.
        var resumed = Search(system, resume: true, threads: 3 - threads, symmetry: symmetry);
        var whole = Uninterrupted(system, threads, symmetry);
        Assert.Equal(Results(whole), Results(resumed));
        Assert.Equal(2, resumed.Violations.Count);
        Assert.Equal(k, resumed.ResumedLevel);
        Assert.True(resumed.CheckpointLevel > k);
    }

    [Fact]
    public void AResumedRunStoppedAgainResumesAgainAndHashCompactionResumesToo()
    {
        var system = Toy();
        Search(system, stopAt: 4, compact: true);
        Search(system, resume: true, stopAt: 13, compact: true);
        var last = Search(system, resume: true, compact: true);
        Assert.Equal(13, last.ResumedLevel);
        Assert.Equal(Results(Uninterrupted(system, compact: true)), Results(last));
    }

    [Fact]
    public void ASearchStoppedAtItsFirstViolationResumesToTheSameFirstViolation()
    {
        var system = Toy();
        Search(system, stopAt: 3, all: false);
        Assert.Equal(Results(Uninterrupted(system, all: false)), Results(Search(system, resume: true, all: false)));
    }

    [Fact]
    public void AStopBetweenThrottledWritesWritesTheLevelItStoppedIn()
    {
        // No level is due in an hour; the stop writes the start of the level it interrupted (cancelled while expanding
        // level 9, it finishes the chunk, so the level is cut short and not merged).
        var system = new StoppingCounters(Toy(), level: 9);
        using var cancel = system.Cancel;
        var options = new SearchOptions
        {
            All = true, Threads = 1, Cancellation = cancel.Token,
            Checkpoint = new CheckpointOptions(_dir, "toy") { Every = TimeSpan.FromHours(1) },
        };
        var stopped = new BreadthFirstSearch<StoppingCounters, string>(system, options).Run();
        Assert.Equal("interrupted while exploring level 10", stopped.StoppedBecause);
        Assert.Equal(9, stopped.CheckpointLevel);
        Assert.Equal(Results(Uninterrupted(Toy())), Results(Search(Toy(), resume: true)));
    }

    [Fact]
    public void AFileLeftHalfWrittenBeforeItsRenameIsIgnoredForTheLastCompleteOne()
    {
        var system = Toy();
        Search(system, stopAt: 6);
        // A crash while writing level 7: its temporary file holds the first half of a good checkpoint.
        var good = File.ReadAllBytes(CheckpointPath);
        File.WriteAllBytes(CheckpointPath + ".tmp", good[..(good.Length / 2)]);
        var resumed = Search(system, resume: true);
        Assert.Equal(6, resumed.ResumedLevel);
        Assert.Equal(Results(Uninterrupted(system)), Results(resumed));
    }

    [Theory]
    [InlineData(0, "not a checkpoint of pagehint's search")]
    [InlineData(10, "truncated: the file ends before the checkpoint does")]
    [InlineData(100, "truncated: the file ends before the checkpoint does")]
    [InlineData(1000, "truncated or corrupt: it claims 462 visited states, more than the file holds")]
    [InlineData(-1, "truncated or corrupt: it claims 210 frontier states, more than the file holds")]
    public void ATruncatedCheckpointIsRefusedWithOneLineNamingTheFile(int cut, string problem)
    {
        Search(Toy(), stopAt: 6);
        var bytes = File.ReadAllBytes(CheckpointPath);
        File.WriteAllBytes(CheckpointPath, bytes[..(cut >= 0 ? cut : bytes.Length + cut)]);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), resume: true));
        Assert.Equal((CheckpointPath, problem), (e.File, e.Message));
    }

    [Theory]
    [InlineData(20, "corrupt: its header does not match its checksum")]
    [InlineData(1000, "corrupt: ")]
    [InlineData(-100, "corrupt: ")]
    [InlineData(-1, "corrupt: its states do not match its checksum")]
    public void ACheckpointWithAFlippedBitIsRefusedAsCorrupt(int at, string problem)
    {
        Search(Toy(), stopAt: 6);
        var bytes = File.ReadAllBytes(CheckpointPath);
        bytes[at >= 0 ? at : bytes.Length + at] ^= 0x10;
        File.WriteAllBytes(CheckpointPath, bytes);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), resume: true));
        Assert.StartsWith(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void BytesAfterTheChecksumAreRefused()
    {
        Search(Toy(), stopAt: 6);
        File.AppendAllText(CheckpointPath, "x");
        Assert.Equal("corrupt: bytes follow its checksum", Assert.Throws<CheckpointException>(() => Search(Toy(), resume: true)).Message);
    }

    [Fact]
    public void ADirectoryWithoutACheckpointIsRefused()
    {
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), resume: true));
        Assert.Equal((CheckpointPath, "no checkpoint here (a search writes one with a checkpoint directory)"), (e.File, e.Message));
    }

    [Theory]
    [InlineData("other", false, false, true, "it has toy where this search has other")]
    [InlineData("toy", true, false, true, "it has nothing else where this search has symmetry")]
    [InlineData("toy", false, true, true, "it has nothing else where this search has hash compaction")]
    [InlineData("toy", false, false, false, "it has all violations where this search has first violation")]
    public void ACheckpointOfAnotherFingerprintOrOtherOptionsIsRefusedNamingTheDifference(string fingerprint, bool symmetry, bool compact,
        bool all, string difference)
    {
        Search(Toy(symmetric: true), stopAt: 6);
        // The caller's fingerprint tells apart systems of the same shape (as a counter's bound of 7 and of 6).
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(symmetric: true), resume: true, fingerprint: fingerprint, symmetry: symmetry, compact: compact, all: all));
        Assert.Equal("a checkpoint of another configuration or program version: " + difference, e.Message);
    }

    [Fact]
    public void ACheckpointOfAnotherStateWidthIsRefused()
    {
        Search(Toy(), stopAt: 6);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(twoWords: true), resume: true));
        Assert.Equal("a checkpoint of another configuration or program version: it has engine: 15 state bits where this search has engine: 79 state bits", e.Message);
    }

    [Fact]
    public void ADirectoryThatCannotBeWrittenIsOneException()
    {
        var system = Toy();
        var options = new SearchOptions { Checkpoint = new CheckpointOptions(Path.Combine(_dir, "missing"), "toy") };
        var e = Assert.Throws<CheckpointException>(() => new BreadthFirstSearch<Counters, string>(system, options).Run());
        Assert.StartsWith("cannot write the checkpoint: ", e.Message);
    }

    /// <summary>Counters whose expansion of a state of <paramref name="level"/> (its values' sum) cancels
    /// <see cref="Cancel"/>: a stop in the middle of a level that is not checkpointed.</summary>
    internal readonly struct StoppingCounters(Counters inner, int level) : ITransitionSystem<string>
    {
        public CancellationTokenSource Cancel { get; } = new();
        public PackedState Initial => inner.Initial;
        public int StateBits => inner.StateBits;
        public IReadOnlyList<Property> Properties => inner.Properties;
        public int StateViolations(in PackedState s) => inner.StateViolations(s);

        public void Successors(in PackedState s, List<Transition<string>> into)
        {
            int sum = 0;
            for (int i = 0; i < 5; i++) sum += inner.Value(s, i);
            if (sum == level) Cancel.Cancel();
            inner.Successors(s, into);
        }
    }
}
