namespace PageHintVerify.Engine.Distributed;

/// <summary>The partitions of a distributed search in one process: batches and tags are handed over directly, and the
/// partitions expand in parallel. For tests, and the reference for a network transport.</summary>
public static class InProcessCluster
{
    /// <summary>Handles on <paramref name="workers"/>, partition i being workers[i]; new tags pass in pages of
    /// <paramref name="tagPage"/> (small pages test the paging a network transport needs).</summary>
    public static IPartitionHandle[] Connect(IReadOnlyList<IPartitionWorker> workers, int tagPage = int.MaxValue) =>
        [.. workers.Select(w => new Handle(w, workers, tagPage))];

    /// <summary>A search over <paramref name="partitions"/> in-process partitions of <paramref name="system"/>.</summary>
    public static DistributedSearch<TSystem, TStep> Search<TSystem, TStep>(TSystem system, SearchOptions options, int partitions, int tagPage = int.MaxValue)
        where TSystem : ITransitionSystem<TStep> =>
        new(system, options, Connect([.. Enumerable.Range(0, partitions).Select(i => new Partition<TSystem, TStep>(system, options, i, partitions))], tagPage));

    sealed class Handle(IPartitionWorker worker, IReadOnlyList<IPartitionWorker> all, int tagPage) : IPartitionHandle
    {
        public Task Reset(bool keepLevels) { worker.Reset(keepLevels); return Task.CompletedTask; }
        public Task Seed(PackedState initial) { worker.Seed(initial); return Task.CompletedTask; }

        public Task<LevelExpansion> Expand(int level, int seen, CancellationToken cancellation) =>
            Task.Run(() => worker.ExpandAsync(level, seen, (q, batch) => { all[q].Receive(batch); return Task.CompletedTask; }, cancellation));

        public Task<(long Added, long StoreBytes)> Merge() => Task.Run(worker.Merge);
        public Task Number() => Numbering.Run(worker,
            all.Where(w => w != worker).Select(w => (Func<int, int, Task<long[]>>)((from, count) => Task.FromResult(Numbering.Page(w.NewTags, from, count)))),
            tagPage);
        public Task Save(string directory, string fingerprint, int level, int? keep) => Task.Run(() => worker.Save(directory, fingerprint, level, keep));
        public Task<(long States, long Frontier, long StoreBytes)> Load(string directory, string fingerprint, int level) =>
            Task.Run(() => worker.Load(directory, fingerprint, level));
        public Task<(PackedState[] States, long[] Indices)> Level(int level) => Task.FromResult(worker.Level(level));
        public Task<PackedState?> StateAt(int level, long index) => Task.FromResult(worker.StateAt(level, index));
        public Task<(long Index, PackedState State)?> FirstLeadingTo(int level, PackedState target) => Task.FromResult(worker.FirstLeadingTo(level, target));
    }
}
