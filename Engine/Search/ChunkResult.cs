namespace PageHintVerify.Engine;

/// <summary>One chunk of a level, expanded: its surviving successors grouped by store segment, and its first sighting
/// per property.</summary>
sealed class ChunkResult
{
    public PackedState[] Candidates = [];               // grouped by segment, so the merge reads them in order
    public int[] Position = [];                         // the k-th found is Candidates[Position[k]]
    public bool[] Fresh = [];                           // set by the merge: Candidates[i] was new
    public readonly int[] Offsets = new int[StateStore.Segments + 1];
    public readonly long[] Sightings;                   // per property: position << 16 | ordinal, or -1
    public long Transitions;

    ChunkResult(int properties)
    {
        Sightings = new long[properties];
        Array.Fill(Sightings, -1);
    }

    /// <summary>
    /// Phase one for the states <paramref name="from"/> to <paramref name="to"/> of a level: every successor, the first
    /// sighting of each property not in <paramref name="seen"/>, and the successors not in the store as of the level's
    /// start, grouped by segment.
    /// </summary>
    public static ChunkResult Expand<TSystem, TStep>(TSystem system, bool symmetry, StateStore store,
        PackedState[] frontier, int from, int to, ChunkWork work, int seen)
        where TSystem : ITransitionSystem<TStep>
    {
        int properties = system.Properties.Count;
        var result = new ChunkResult(properties);
        var (buffer, kept, recent) = (work.Buffer, work.Kept, work.Recent);
        kept.Clear();
        recent.Clear();
        var lookups = new LookupPipeline(store, kept);
        long transitions = 0;
        for (int i = from; i < to; i++)
        {
            var s = frontier[i];
            if (i + 1 < to) system.Prefetch(frontier[i + 1]);
            system.Expand(s, buffer);
            transitions += buffer.Steps;
            for (int k = 0; k < buffer.Count; k++)
            {
                int fresh = buffer.Violations[k] & ~seen;
                if (fresh != 0)
                {
                    for (int p = 0; p < properties; p++)
                        if ((fresh & (1 << p)) != 0) result.Sightings[p] = ((long)i << 16) | (uint)buffer.Ordinals[k];
                    seen |= fresh;
                }
                var next = buffer.States[k];
                if (next == s) continue;
                if (symmetry) next = system.Canonical(next);
                ulong hash = store.Hash(next);
                if (recent.Repeat(next, hash)) continue;
                lookups.Add(next, hash);
            }
        }
        lookups.Drain();
        result.Transitions = transitions;
        result.GroupBySegment(kept);
        return result;
    }

    void GroupBySegment(List<(PackedState State, ulong Hash)> kept)
    {
        foreach (var (_, hash) in kept) Offsets[StateStore.SegmentOf(hash) + 1]++;
        for (int seg = 0; seg < StateStore.Segments; seg++) Offsets[seg + 1] += Offsets[seg];
        var fill = Offsets[..StateStore.Segments];
        Candidates = new PackedState[kept.Count];
        Position = new int[kept.Count];
        Fresh = new bool[kept.Count];
        for (int k = 0; k < kept.Count; k++)
        {
            int at = Position[k] = fill[StateStore.SegmentOf(kept[k].Hash)]++;
            Candidates[at] = kept[k].State;
        }
    }
}

/// <summary>One worker's memory for expanding chunks, reused from chunk to chunk (the recent look-ups alone are 128 KiB,
/// a large-object allocation per chunk otherwise) and cleared at each chunk's start.</summary>
sealed class ChunkWork(StateHash hashing, bool oneWordStates)
{
    public readonly Expansion Buffer = new();
    public readonly List<(PackedState State, ulong Hash)> Kept = [];
    public readonly RecentLookups Recent = new(hashing, oneWordStates);
}
