namespace PageHintVerify.Engine.Distributed;

/// <summary>Successors on their way to the partition that owns them, each with its tag: the global index in its level
/// of the state it was found from, shifted left 16 bits, or'ed with its position among that state's successors. Lower
/// tags were found earlier by the single-process search.</summary>
public sealed record CandidateBatch(PackedState[] States, long[] Tags);

/// <summary>What a partition's share of a level found: its transitions and, per property not seen before the level,
/// its first sighting as <c>global index &lt;&lt; 16 | ordinal</c>, or -1; and <paramref name="Sent"/>, the candidates
/// it sent to other partitions.</summary>
public sealed record LevelExpansion(long Transitions, long[] Sightings, long PeakBytes, long Sent);

/// <summary>
/// One partition of an owner-partitioned, level-synchronous breadth-first search, as a transport drives it (in process
/// or over a network): it owns the states whose hash picks it (<see cref="Partition{TSystem, TStep}.OwnerOf"/>), holds their visited set and its
/// part of the current level, expands that part and sends each successor to its owner, and at the barrier merges what
/// it received. Knows nothing of the system it searches beyond the engine's interface, nor of the transport.
/// A transport calls, per level: <see cref="ExpandAsync"/> on every partition (each <see cref="Receive"/>s the others'
/// batches meanwhile); once all are done, <see cref="Merge"/> on every partition; then, on every partition,
/// <see cref="CountBelow"/> with each other partition's <see cref="NewTags"/> (in pages, for a large level) and
/// <see cref="Number"/>.
/// </summary>
public interface IPartitionWorker
{
    /// <summary>Forgets everything; with <paramref name="keepLevels"/> the next search keeps every level (to rebuild traces).</summary>
    void Reset(bool keepLevels);

    /// <summary>Stores the initial state (already as the search stores it) as level 0, global index 0.</summary>
    void Seed(PackedState initial);

    /// <summary>Expands this partition's part of level <paramref name="level"/>, sending each successor not stored here
    /// and not a repeat to its owner through <paramref name="send"/> (successors it owns itself it keeps).</summary>
    Task<LevelExpansion> ExpandAsync(int level, int seen, Func<int, CandidateBatch, Task> send, CancellationToken cancellation = default);

    /// <summary>Takes a batch of candidates for the next level; safe from several threads.</summary>
    void Receive(CandidateBatch batch);

    /// <summary>At the barrier: adds the candidates not stored to the store, in tag order; returns how many, and the
    /// bytes the store then holds.</summary>
    (long Added, long StoreBytes) Merge();

    /// <summary>The tags of the states <see cref="Merge"/> added, ascending.</summary>
    long[] NewTags { get; }

    /// <summary>Counts, for each of this partition's new tags, the tags of <paramref name="page"/> below it: a page is
    /// an ascending run of another partition's <see cref="NewTags"/>, each of its tags given once, in any order of
    /// pages and partitions.</summary>
    void CountBelow(long[] page);

    /// <summary>Gives each new state its global index in the next level, its tag's rank among every partition's new
    /// tags (its position here plus the other partitions' tags counted below it), and makes them the part of the
    /// next level this partition expands.</summary>
    void Number();

    /// <summary>At the barrier (after <see cref="Number"/>): writes the store and this partition's part of
    /// <paramref name="level"/>, the next, to its file of that level in <paramref name="directory"/>, and removes its
    /// files of other levels but <paramref name="keep"/>, the level of the checkpoint on disk
    /// (<see cref="DistributedCheckpoint"/>). Throws <see cref="CheckpointException"/>.</summary>
    void Save(string directory, string fingerprint, int level, int? keep);

    /// <summary>Forgets everything and takes the store and part of <paramref name="level"/> from its file in
    /// <paramref name="directory"/>, to expand that level next; returns the states stored and in the part, and the
    /// store's bytes. Throws <see cref="CheckpointException"/>.</summary>
    (long States, long Frontier, long StoreBytes) Load(string directory, string fingerprint, int level);

    /// <summary>This partition's part of a kept level, with the global index of each state, ascending.</summary>
    (PackedState[] States, long[] Indices) Level(int level);

    /// <summary>The state at <paramref name="index"/> of a kept level, if this partition holds it.</summary>
    PackedState? StateAt(int level, long index);

    /// <summary>The first state (lowest global index) of a kept level held here with a successor stored as
    /// <paramref name="target"/>, with its index.</summary>
    (long Index, PackedState State)? FirstLeadingTo(int level, PackedState target);
}

/// <summary>The partition of an owner-partitioned search over <typeparamref name="TSystem"/> (see
/// <see cref="IPartitionWorker"/>).</summary>
public sealed class Partition<TSystem, TStep>(TSystem system, SearchOptions options, int index, int partitions) : IPartitionWorker
    where TSystem : ITransitionSystem<TStep>
{
    /// <summary>Successors sent to one owner at a time.</summary>
    public const int BatchSize = 16384;

    readonly Dictionary<PackedState, long> _candidates = [];   // the next level's candidates, each with its lowest tag
    readonly List<(PackedState[] States, long[] Indices)> _levels = [];
    readonly Expansion _buffer = new();
    StateStore _store = NewStore(system, options);
    PackedState[] _frontier = [], _new = [];
    long[] _frontierIndices = [];
    long[] _below = [1];   // _below[j]: the other partitions' new tags between NewTags[j - 1] and NewTags[j]
    bool _keepLevels;
    long _peak;
    readonly LevelGarbage _garbage = new();

    public long[] NewTags { get; private set; } = [];

    static StateStore NewStore(TSystem system, SearchOptions options) =>
        new(system.StateBits, options.HashCompact);

    /// <summary>Whether the system's states fit one word, which the store, the recent look-ups and the checkpoint files
    /// keep differently.</summary>
    static bool OneWordStates(TSystem system) => system.StateBits <= StateStore.OneWordBits;

    /// <summary>The partition that owns a state with this hash (<see cref="StateHash"/>), chosen by the top half of the
    /// hash times an odd constant, to which every bit of the hash contributes. The store places a state by some of the
    /// hash's bits (segment, then home slot: which ones depends on the hash's width), so owners picked by any fixed bits
    /// could crowd 1/N of a partition's homes; a mix of all of them spreads a partition's states over its whole table.</summary>
    public static int OwnerOf(ulong hash, int partitions) => (int)(((hash * 0x9E3779B97F4A7C15UL >> 32) * (ulong)partitions) >> 32);

    public void Reset(bool keepLevels)
    {
        _store = NewStore(system, options);
        _candidates.Clear();
        _levels.Clear();
        (_new, NewTags, _keepLevels, _peak) = ([], [], keepLevels, 0);
        Enter([], []); // level 0 of every partition but the initial state's owner
    }

    public void Seed(PackedState initial)
    {
        _store.TryAdd(initial, _store.Hash(initial));
        _store.Recount();
        (_frontier, _frontierIndices) = ([initial], [0]);
        if (_keepLevels) _levels[0] = (_frontier, _frontierIndices);
    }

    void Enter(PackedState[] states, long[] indices)
    {
        (_frontier, _frontierIndices) = (states, indices);
        if (_keepLevels) _levels.Add((states, indices));
    }

    public async Task<LevelExpansion> ExpandAsync(int level, int seen, Func<int, CandidateBatch, Task> send, CancellationToken cancellation = default)
    {
        int properties = system.Properties.Count;
        var sightings = new long[properties];
        Array.Fill(sightings, -1);
        var outgoing = new List<(PackedState State, long Tag)>[partitions];
        for (int q = 0; q < partitions; q++) outgoing[q] = [];
        var recent = new RecentLookups(_store.Hashing, OneWord);
        long transitions = 0, sent = 0;
        for (int i = 0; i < _frontier.Length; i++)
        {
            if ((i & 1023) == 0) cancellation.ThrowIfCancellationRequested();
            var s = _frontier[i];
            long parent = _frontierIndices[i];
            system.Expand(s, _buffer);
            transitions += _buffer.Steps;
            if (_buffer.Count > 1 << 16) throw new InvalidOperationException("a state has more than 65536 successors");
            for (int k = 0; k < _buffer.Count; k++)
            {
                int fresh = _buffer.Violations[k] & ~seen;
                if (fresh != 0)
                {
                    // This partition's part is in global order, so its first sighting is its lowest.
                    for (int p = 0; p < properties; p++)
                        if ((fresh & (1 << p)) != 0) sightings[p] = parent << 16 | (uint)_buffer.Ordinals[k];
                    seen |= fresh;
                }
                var next = _buffer.States[k];
                if (next == s) continue;
                if (options.Symmetry) next = system.Canonical(next);
                ulong hash = _store.Hash(next);
                // A repeat was sent before with a lower tag, which wins anyway.
                if (recent.Repeat(next, hash)) continue;
                int owner = OwnerOf(hash, partitions);
                if (owner == index && _store.Contains(next, hash)) continue;
                var box = outgoing[owner];
                box.Add((next, parent << 16 | (uint)k));
                if (owner != index) sent++;
                if (box.Count == BatchSize) await Flush(owner, outgoing, send);
            }
        }
        for (int q = 0; q < partitions; q++)
            if (outgoing[q].Count > 0) await Flush(q, outgoing, send);
        long held = system.MemoBytes + (long)_frontier.Length * 24 + (long)_candidates.Count * 48;
        _peak = Math.Max(_peak, _store.Bytes + held);
        return new LevelExpansion(transitions, sightings, _peak, sent);
    }

    async Task Flush(int owner, List<(PackedState State, long Tag)>[] outgoing, Func<int, CandidateBatch, Task> send)
    {
        var box = outgoing[owner];
        var batch = new CandidateBatch([.. box.Select(c => c.State)], [.. box.Select(c => c.Tag)]);
        box.Clear();
        if (owner == index) Receive(batch);
        else await send(owner, batch);
    }

    public void Receive(CandidateBatch batch)
    {
        lock (_candidates)
            for (int i = 0; i < batch.States.Length; i++)
            {
                var s = batch.States[i];
                long tag = batch.Tags[i];
                if (_candidates.TryGetValue(s, out long had)) { if (tag < had) _candidates[s] = tag; }
                else if (!_store.Contains(s, _store.Hash(s))) _candidates[s] = tag;
            }
    }

    public (long Added, long StoreBytes) Merge()
    {
        var order = _candidates.OrderBy(c => c.Value).ToList();
        _candidates.Clear();
        var added = new List<(PackedState State, long Tag)>(order.Count);
        // Two candidates can be one stored state under hash compaction: the lower tag wins, as in one process.
        foreach (var (s, tag) in order)
            if (_store.TryAdd(s, _store.Hash(s))) added.Add((s, tag));
        _store.Recount();
        _new = [.. added.Select(a => a.State)];
        NewTags = [.. added.Select(a => a.Tag)];
        _below = new long[NewTags.Length + 1];
        return (_new.Length, _store.Bytes);
    }

    public void CountBelow(long[] page)
    {
        if (page.Length == 0) return;
        // Both ascending: each of the page's tags is counted at the first of ours above it.
        int j = Array.BinarySearch(NewTags, page[0]);
        j = j < 0 ? ~j : j;
        foreach (long tag in page)
        {
            while (j < NewTags.Length && NewTags[j] < tag) j++;
            _below[j]++;
        }
    }

    public void Number()
    {
        var indices = new long[NewTags.Length];
        long below = 0;
        for (int i = 0; i < indices.Length; i++) indices[i] = i + (below += _below[i]);
        Enter(_new, indices);
        _new = [];
        _garbage.Collect(_store.Bytes);
    }

    bool OneWord => OneWordStates(system);

    public void Save(string directory, string fingerprint, int level, int? keep) =>
        DistributedCheckpoint.WritePart(directory, fingerprint, level, keep, index, partitions, _store, _frontier, _frontierIndices, OneWord);

    public (long States, long Frontier, long StoreBytes) Load(string directory, string fingerprint, int level)
    {
        Reset(keepLevels: false);
        var (frontier, indices) = DistributedCheckpoint.ReadPart(directory, fingerprint, level, index, partitions, _store, OneWord);
        Enter(frontier, indices);
        return (_store.Count, frontier.Length, _store.Bytes);
    }

    public (PackedState[] States, long[] Indices) Level(int level) => _levels[level];

    public PackedState? StateAt(int level, long index)
    {
        var (states, indices) = _levels[level];
        int at = Array.BinarySearch(indices, index);
        return at >= 0 ? states[at] : null;
    }

    public (long Index, PackedState State)? FirstLeadingTo(int level, PackedState target)
    {
        var (states, indices) = _levels[level];
        for (int i = 0; i < states.Length; i++)
            if (TraceSteps.LeadsTo<TSystem, TStep>(system, options.Symmetry, states[i], target, _buffer)) return (indices[i], states[i]);
        return null;
    }
}

/// <summary>The numbering step of a level as a transport runs it on one partition: each other partition's new tags
/// fetched in pages (a level's tags can outgrow a message), counted, then the partition's new states numbered.</summary>
public static class Numbering
{
    /// <summary>Runs it on <paramref name="worker"/>, each of <paramref name="others"/> fetching up to a count of
    /// another partition's new tags from an offset (<see cref="Page"/> on that side).</summary>
    public static async Task Run(IPartitionWorker worker, IEnumerable<Func<int, int, Task<long[]>>> others, int pageSize)
    {
        foreach (var fetch in others)
            for (int from = 0; ; from += pageSize)
            {
                var page = await fetch(from, pageSize);
                worker.CountBelow(page);
                if (page.Length < pageSize) break;
            }
        worker.Number();
    }

    /// <summary>Up to <paramref name="count"/> of <paramref name="tags"/> from <paramref name="from"/> on.</summary>
    public static long[] Page(long[] tags, int from, int count) => tags[Math.Min(from, tags.Length)..(int)Math.Min((long)from + count, tags.Length)];
}
