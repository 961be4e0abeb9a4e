using PageHintVerify.Engine;
using PageHintVerify.Engine.Distributed;

namespace PageHintVerify.EngineTests;

/// <summary>Checkpoints of the distributed search (in process): a stop, a crash or a failed write, then a resume that
/// ends with the results of an uninterrupted run; bad checkpoints refused naming the file.</summary>
public sealed class DistributedCheckpointTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("distributed-checkpoint-tests-").FullName;
    string Manifest => Path.Combine(_dir, DistributedCheckpoint.ManifestName);
    string Part(int index, int partitions, int level) => Path.Combine(_dir, $"partition-{index}-of-{partitions}.level-{level}.checkpoint");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Five counters to 7 with an alarm at 5 (first rung in level 4): 32,768 states in 36 levels, both
    /// properties violated.</summary>
    static Counters Toy(bool twoWords = false, bool symmetric = false, int alarm = 5) => new(5, 7, alarm, padding: twoWords ? 62 : 0, symmetric: symmetric);

    SearchOptions Options(bool resume, int? stopAt, CancellationToken cancel, bool symmetry = false, bool all = true, string fingerprint = "toy",
        TimeSpan every = default, Action? stop = null) => new()
    {
        All = all, Threads = 1, Symmetry = symmetry, Cancellation = cancel,
        Checkpoint = new CheckpointOptions(_dir, fingerprint) { Resume = resume, Every = every, Written = level => { if (level == stopAt) stop?.Invoke(); } },
    };

    /// <summary>Searches on <paramref name="partitions"/> in-process partitions with checkpoints in <see cref="_dir"/>,
    /// cancelled right after the checkpoint of level <paramref name="stopAt"/> is written.</summary>
    SearchReport<string> Search<TSystem>(TSystem system, int partitions, bool resume = false, int? stopAt = null, bool symmetry = false,
        bool all = true, string fingerprint = "toy", IPartitionWorker[]? workers = null) where TSystem : ITransitionSystem<string>
    {
        using var cancel = new CancellationTokenSource();
        var options = Options(resume, stopAt, cancel.Token, symmetry, all, fingerprint, stop: cancel.Cancel);
        workers ??= Workers(system, options, partitions);
        return new DistributedSearch<TSystem, string>(system, options, InProcessCluster.Connect(workers)).RunAsync().GetAwaiter().GetResult();
    }

    static IPartitionWorker[] Workers<TSystem>(TSystem system, SearchOptions options, int partitions) where TSystem : ITransitionSystem<string> =>
        [.. Enumerable.Range(0, partitions).Select(i => new Partition<TSystem, string>(system, options, i, partitions))];

    static string Uninterrupted<TSystem>(TSystem system, bool symmetry = false, bool all = true) where TSystem : ITransitionSystem<string> =>
        DistributedSearchTests.Outcome(new BreadthFirstSearch<TSystem, string>(system, new SearchOptions { All = all, Threads = 1, Symmetry = symmetry }).Run());

    [Theory]
    [InlineData(1, 7, false, false, 5)]
    [InlineData(2, 1, false, false, 5)]
    [InlineData(2, 20, true, false, 5)]
    [InlineData(3, 7, false, true, 5)]
    [InlineData(4, 13, true, true, 5)]
    [InlineData(4, 30, false, false, 5)]
    // The alarm first sighted after the level resumed from (at 7: in level 6), so its position is the resumed run's.
    [InlineData(2, 3, false, false, 7)]
    [InlineData(3, 5, true, false, 7)]
    [InlineData(4, 2, false, true, 7)]
    public void ResumingAfterAStopAtLevelKEndsWithTheResultsOfAnUninterruptedRun(int partitions, int k, bool twoWords, bool symmetry, int alarm)
    {
        var system = Toy(twoWords, symmetry, alarm);
        var stopped = Search(system, partitions, stopAt: k, symmetry: symmetry);
        Assert.Equal($"interrupted while exploring level {k + 1}", stopped.StoppedBecause);
        Assert.Equal(k, stopped.CheckpointLevel);
        Assert.Equal(k, DistributedCheckpoint.Level(_dir));

        var resumed = Search(system, partitions, resume: true, symmetry: symmetry);
        Assert.Equal(Uninterrupted(system, symmetry), DistributedSearchTests.Outcome(resumed));
        Assert.Equal(2, resumed.Violations.Count);
        Assert.Equal(k, resumed.ResumedLevel);
        Assert.True(resumed.CheckpointLevel > k);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ASearchWithoutViolationsAndOneStoppedAtItsFirstResumeToTheirResults(int partitions)
    {
        var peterson = new Peterson();
        Search(peterson, partitions, stopAt: 3);
        Assert.Equal(Uninterrupted(peterson), DistributedSearchTests.Outcome(Search(peterson, partitions, resume: true)));
        Assert.Empty(Search(peterson, partitions, resume: true).Violations);

        foreach (var f in Directory.GetFiles(_dir)) File.Delete(f);
        Search(Toy(), partitions, stopAt: 3, all: false);
        Assert.Equal(Uninterrupted(Toy(), all: false), DistributedSearchTests.Outcome(Search(Toy(), partitions, resume: true, all: false)));
    }

    [Fact]
    public void AResumedRunStoppedAgainResumesAgainKeepingOnlyTheFilesOfTheLastTwoLevels()
    {
        var system = Toy();
        Search(system, 3, stopAt: 4);
        Search(system, 3, resume: true, stopAt: 13);
        Assert.Equal(new[] { 12, 13 }, PartLevels(3));
        var last = Search(system, 3, resume: true);
        Assert.Equal(13, last.ResumedLevel);
        Assert.Equal(Uninterrupted(system), DistributedSearchTests.Outcome(last));
    }

    [Fact]
    public void AResumedRunWritesThePartitionFilesOfAnUninterruptedOne()
    {
        // Each file holds a partition's states with their global indices, which the levels after a resume depend on.
        var system = new Scrambled(30_000, 3);
        Search(system, 3, stopAt: 3);
        Search(system, 3, resume: true, stopAt: 6);
        var resumed = Enumerable.Range(0, 3).Select(i => File.ReadAllBytes(Part(i, 3, 6))).ToList();
        foreach (var f in Directory.GetFiles(_dir)) File.Delete(f);
        Search(system, 3, stopAt: 6);
        for (int i = 0; i < 3; i++) Assert.Equal(File.ReadAllBytes(Part(i, 3, 6)), resumed[i]);
    }

    /// <summary>The levels of which every partition has a file in the directory, ascending.</summary>
    int[] PartLevels(int partitions) =>
        [.. Enumerable.Range(0, 40).Where(l => Enumerable.Range(0, partitions).All(i => File.Exists(Part(i, partitions, l))))];

    [Fact]
    public void AStopBetweenThrottledWritesWritesTheLevelItStoppedIn()
    {
        // No level is due in an hour: only the stop writes (cancelled while expanding level 9, or at the barrier after).
        var system = new CheckpointTests.StoppingCounters(Toy(), level: 9);
        using var cancel = system.Cancel;
        var options = Options(resume: false, stopAt: null, cancel.Token, every: TimeSpan.FromHours(1));
        var stopped = new DistributedSearch<CheckpointTests.StoppingCounters, string>(system, options, InProcessCluster.Connect(Workers(system, options, 2)))
            .RunAsync().GetAwaiter().GetResult();
        Assert.InRange(stopped.CheckpointLevel!.Value, 9, 10);
        Assert.Equal($"interrupted while exploring level {stopped.CheckpointLevel + 1}", stopped.StoppedBecause);
        Assert.Equal(new[] { stopped.CheckpointLevel.Value }, PartLevels(2));
        Assert.Equal(Uninterrupted(Toy()), DistributedSearchTests.Outcome(Search(Toy(), 2, resume: true)));
    }

    [Fact]
    public void ACrashAfterThePartitionsWroteALevelButBeforeItsManifestLeavesTheLastCheckpoint()
    {
        var system = Toy();
        Search(system, 2, stopAt: 6);
        // The crash while committing level 7: both partitions' files of it, and half a manifest under its temporary name.
        string later = Directory.CreateTempSubdirectory("distributed-checkpoint-later-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource();
            var options = new SearchOptions
            {
                All = true, Threads = 1, Cancellation = cancel.Token,
                Checkpoint = new CheckpointOptions(later, "toy") { Written = l => { if (l == 7) cancel.Cancel(); } },
            };
            new DistributedSearch<Counters, string>(system, options, InProcessCluster.Connect(Workers(system, options, 2))).RunAsync().GetAwaiter().GetResult();
            foreach (int i in new[] { 0, 1 }) File.Copy(Path.Combine(later, Path.GetFileName(Part(i, 2, 7))), Part(i, 2, 7));
            var manifest = File.ReadAllBytes(Path.Combine(later, DistributedCheckpoint.ManifestName));
            File.WriteAllBytes(Manifest + ".tmp", manifest[..(manifest.Length / 2)]);
        }
        finally { Directory.Delete(later, recursive: true); }
        var resumed = Search(system, 2, resume: true);
        Assert.Equal(6, resumed.ResumedLevel);
        Assert.Equal(Uninterrupted(system), DistributedSearchTests.Outcome(resumed));
    }

    [Fact]
    public void APartitionThatCannotWriteALevelLeavesTheLastCheckpointWhole()
    {
        var system = Toy();
        var options = new SearchOptions { All = true, Threads = 1, Checkpoint = new CheckpointOptions(_dir, "toy") };
        var workers = Workers(system, options, 3);
        workers[1] = new FailingSave(workers[1], level: 8);
        var e = Assert.Throws<CheckpointException>(() => Search(system, 3, workers: workers));
        Assert.Equal("cannot write the checkpoint: the disk is full", e.Message);
        Assert.Equal(7, DistributedCheckpoint.Level(_dir));
        var resumed = Search(system, 3, resume: true);
        Assert.Equal(7, resumed.ResumedLevel);
        Assert.Equal(Uninterrupted(system), DistributedSearchTests.Outcome(resumed));
        // Each partition's share counts the states it loaded.
        Assert.Equal(resumed.States, resumed.Distribution!.StatesPerPartition.Sum());
    }

    /// <summary>A partition whose disk fills up when it writes <paramref name="level"/>, after the other partitions'.</summary>
    sealed class FailingSave(IPartitionWorker inner, int level) : IPartitionWorker
    {
        public void Save(string directory, string fingerprint, int l, int? keep)
        {
            if (l == level) throw new CheckpointException(Path.Combine(directory, "partition-1"), "cannot write the checkpoint: the disk is full");
            inner.Save(directory, fingerprint, l, keep);
        }

        public (long States, long Frontier, long StoreBytes) Load(string directory, string fingerprint, int l) => inner.Load(directory, fingerprint, l);
        public void Reset(bool keepLevels) => inner.Reset(keepLevels);
        public void Seed(PackedState initial) => inner.Seed(initial);
        public Task<LevelExpansion> ExpandAsync(int l, int seen, Func<int, CandidateBatch, Task> send, CancellationToken cancellation = default) =>
            inner.ExpandAsync(l, seen, send, cancellation);
        public void Receive(CandidateBatch batch) => inner.Receive(batch);
        public (long Added, long StoreBytes) Merge() => inner.Merge();
        public long[] NewTags => inner.NewTags;
        public void CountBelow(long[] page) => inner.CountBelow(page);
        public void Number() => inner.Number();
        public (PackedState[] States, long[] Indices) Level(int l) => inner.Level(l);
        public PackedState? StateAt(int l, long index) => inner.StateAt(l, index);
        public (long Index, PackedState State)? FirstLeadingTo(int l, PackedState target) => inner.FirstLeadingTo(l, target);
    }

    [Theory]
    [InlineData(0, "not this kind of file of a pagehint checkpoint")]
    [InlineData(100, "corrupt: ")]
    [InlineData(-40, "corrupt: ")]
    [InlineData(-1, "corrupt: its states do not match its checksum")]
    public void ACorruptPartitionFileIsRefusedNamingIt(int at, string problem)
    {
        Search(Toy(), 3, stopAt: 6);
        string part = Part(1, 3, 6);
        var bytes = File.ReadAllBytes(part);
        bytes[at >= 0 ? at : bytes.Length + at] ^= 0x10;
        File.WriteAllBytes(part, bytes);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), 3, resume: true));
        Assert.Equal(part, e.File);
        Assert.StartsWith(problem, e.Message);
    }

    [Fact]
    public void AMissingOrTruncatedPartitionFileIsRefusedNamingIt()
    {
        Search(Toy(), 3, stopAt: 6);
        var bytes = File.ReadAllBytes(Part(2, 3, 6));
        File.WriteAllBytes(Part(2, 3, 6), bytes[..(bytes.Length - 50)]);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), 3, resume: true));
        Assert.Equal((Part(2, 3, 6), "truncated: the file ends before the checkpoint does"), (e.File, e.Message));
        File.Delete(Part(2, 3, 6));
        e = Assert.Throws<CheckpointException>(() => Search(Toy(), 3, resume: true));
        Assert.Equal(Part(2, 3, 6), e.File);
        Assert.StartsWith("missing: the checkpoint of level 6 needs every partition's file", e.Message);
    }

    [Fact]
    public void APartitionFileOfAnotherLevelUnderTheNameIsRefused()
    {
        Search(Toy(), 2, stopAt: 6);
        Search(Toy(), 2, resume: true, stopAt: 7);
        File.Copy(Part(0, 2, 6), Part(0, 2, 7), overwrite: true);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), 2, resume: true));
        Assert.Equal((Part(0, 2, 7), "a partition's file of another search, level or partition than its name and the manifest say"), (e.File, e.Message));
    }

    [Fact]
    public void AnotherPartitionCountOrFingerprintIsRefusedNamingTheManifest()
    {
        Search(Toy(), 3, stopAt: 6);
        var e = Assert.Throws<CheckpointException>(() => Search(Toy(), 2, resume: true));
        Assert.Equal((Manifest, "a checkpoint of a search on 3 partitions, not 2: resume it on as many"), (e.File, e.Message));
        e = Assert.Throws<CheckpointException>(() => Search(Toy(), 3, resume: true, fingerprint: "other"));
        Assert.Equal((Manifest, "a checkpoint of another configuration or program version: it has toy where this search has other"), (e.File, e.Message));
        // Checked before any partition exists, too.
        e = Assert.Throws<CheckpointException>(() => DistributedSearch<Counters, string>.CheckResume(Toy(), Options(true, null, default), 4));
        Assert.Equal(Manifest, e.File);
    }

    [Fact]
    public void ASingleProcessCheckpointIsNotResumedDistributedNorTheOtherWayRound()
    {
        var single = new SearchOptions { All = true, Threads = 1, Checkpoint = new CheckpointOptions(_dir, "toy") { Resume = true } };
        Search(Toy(), 2, stopAt: 6);
        var e = Assert.Throws<CheckpointException>(() => new BreadthFirstSearch<Counters, string>(Toy(), single).Run());
        Assert.Equal("no checkpoint of a single-process search here, but one of a distributed search (distributed.checkpoint): resume it distributed", e.Message);

        foreach (var f in Directory.GetFiles(_dir)) File.Delete(f);
        using (var cancel = new CancellationTokenSource())
        {
            var write = single with { Cancellation = cancel.Token, Checkpoint = new CheckpointOptions(_dir, "toy") { Written = l => { if (l == 6) cancel.Cancel(); } } };
            new BreadthFirstSearch<Counters, string>(Toy(), write).Run();
        }
        e = Assert.Throws<CheckpointException>(() => Search(Toy(), 2, resume: true));
        Assert.Equal((Manifest, "no checkpoint of a distributed search here, but one of a single-process search (search.checkpoint): resume it in one process"),
            (e.File, e.Message));
    }
}
