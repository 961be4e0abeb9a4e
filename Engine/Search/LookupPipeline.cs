using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// Successors on their way to the visited set, in batches: when a batch is full, the slots of all its successors are
/// prefetched in one tight loop, so that their cache misses overlap (issued one by one between expansions, few were in
/// flight at a time, and the prefetch was the search's hottest instruction), and then the batch before it is looked
/// up, whose lines have arrived meanwhile. Look-ups happen in the order successors were added.
/// </summary>
sealed class LookupPipeline(StateStore store, List<(PackedState State, ulong Hash)> kept)
{
    const int BatchSize = 32;
    PackedState[] _pending = new PackedState[BatchSize], _looking = new PackedState[BatchSize];
    ulong[] _pendingHashes = new ulong[BatchSize], _lookingHashes = new ulong[BatchSize];
    int _pendingCount, _lookingCount;

    /// <summary>Queues <paramref name="s"/> for a look-up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in PackedState s, ulong hash)
    {
        (_pending[_pendingCount], _pendingHashes[_pendingCount]) = (s, hash);
        if (++_pendingCount == BatchSize) Advance();
    }

    /// <summary>Looks up every successor still queued, keeping those not stored.</summary>
    public void Drain()
    {
        Advance();
        Advance();
    }

    /// <summary>Starts loading the queued batch's slots, looks up the batch before it, and starts a new batch.</summary>
    void Advance()
    {
        for (int k = 0; k < _pendingCount; k++) store.Prefetch(_pending[k], _pendingHashes[k]);
        for (int k = 0; k < _lookingCount; k++)
            if (!store.Contains(_looking[k], _lookingHashes[k])) kept.Add((_looking[k], _lookingHashes[k]));
        (_looking, _pending, _lookingHashes, _pendingHashes) = (_pending, _looking, _pendingHashes, _lookingHashes);
        (_lookingCount, _pendingCount) = (_pendingCount, 0);
    }
}
