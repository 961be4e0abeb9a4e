using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// Successors on their way to the visited set, in batches: when a batch is full, the slots of all its successors are
/// prefetched in one tight loop, so that their cache misses overlap (issued one by one between expansions, few were in
/// flight at a time, and the prefetch was the search's hottest instruction), and then the batch before it is looked
/// up, whose lines have arrived meanwhile. A collapsed store (<see cref="StateStore.Collapsed"/>) needs two rounds of
/// loads: a state's two words are found in their tables first, and only the indices found say which slot of its
/// segment to read; so its batches pass a middle stage, where the words found give the key whose slot is then
/// prefetched, a batch before its look-up. Look-ups happen in the order successors were added.
/// </summary>
sealed class LookupPipeline(StateStore store, List<(PackedState State, ulong Hash)> kept)
{
    const int BatchSize = 32;
    /// <summary>The key of a state one of whose words is in no table: no stored state has it (keys have 58 bits).</summary>
    const ulong NotStored = ulong.MaxValue;

    readonly bool _collapsed = store.Collapsed;
    Batch _pending = new(), _keying = new(), _looking = new();

    /// <summary>Successors and their hashes, and in a collapsed store's middle stage their keys.</summary>
    sealed class Batch
    {
        public readonly PackedState[] States = new PackedState[BatchSize];
        public readonly ulong[] Hashes = new ulong[BatchSize], Keys = new ulong[BatchSize];
        public int Count;
    }

    /// <summary>Queues <paramref name="s"/> for a look-up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in PackedState s, ulong hash)
    {
        var b = _pending;
        (b.States[b.Count], b.Hashes[b.Count]) = (s, hash);
        if (++b.Count == BatchSize) Advance();
    }

    /// <summary>Looks up every successor still queued, keeping those not stored.</summary>
    public void Drain()
    {
        Advance();
        Advance();
        if (_collapsed) Advance();
    }

    /// <summary>Starts loading the queued batch's slots, looks up the batch before it, and starts a new batch.</summary>
    void Advance()
    {
        if (_collapsed)
        {
            AdvanceCollapsed();
            return;
        }
        var (pending, looking) = (_pending, _looking);
        for (int k = 0; k < pending.Count; k++) store.Prefetch(pending.States[k], pending.Hashes[k]);
        for (int k = 0; k < looking.Count; k++)
            if (!store.Contains(looking.States[k], looking.Hashes[k])) kept.Add((looking.States[k], looking.Hashes[k]));
        (_looking, _pending) = (pending, looking);
        _pending.Count = 0;
    }

    /// <summary>Starts loading the queued batch's words, finds the words of the batch before it and starts loading
    /// their segment slots, looks up the batch before that, and starts a new batch.</summary>
    void AdvanceCollapsed()
    {
        var (pending, keying, looking) = (_pending, _keying, _looking);
        for (int k = 0; k < pending.Count; k++) store.Prefetch(pending.States[k], pending.Hashes[k]);
        for (int k = 0; k < keying.Count; k++)
        {
            ulong hash = keying.Hashes[k];
            if (store.TryKey(keying.States[k], hash, out ulong key)) store.PrefetchKey(hash, key);
            else key = NotStored;
            keying.Keys[k] = key;
        }
        for (int k = 0; k < looking.Count; k++)
        {
            ulong key = looking.Keys[k], hash = looking.Hashes[k];
            if (key == NotStored || !store.ContainsKey(hash, key)) kept.Add((looking.States[k], hash));
        }
        (_looking, _keying, _pending) = (keying, pending, looking);
        _pending.Count = 0;
    }
}
