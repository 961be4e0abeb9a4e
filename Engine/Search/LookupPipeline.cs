using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// Two batches of successors: one state's are prefetched while the previous state's are looked up, so the look-ups'
/// cache misses overlap with the next expansion instead of stalling it.
/// </summary>
sealed class LookupPipeline(StateStore store, List<(PackedState State, ulong Hash)> kept)
{
    PackedState[] _pending = new PackedState[64], _looking = new PackedState[64];
    ulong[] _pendingHashes = new ulong[64], _lookingHashes = new ulong[64];
    int _pendingCount, _lookingCount;

    /// <summary>Starts loading what a look-up of <paramref name="s"/> will read, and queues it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(in PackedState s, ulong hash)
    {
        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pendingCount * 2);
            Array.Resize(ref _pendingHashes, _pendingCount * 2);
        }
        store.Prefetch(s, hash);
        (_pending[_pendingCount], _pendingHashes[_pendingCount]) = (s, hash);
        _pendingCount++;
    }

    /// <summary>Looks up the previous batch, keeping those not stored, and makes the queued one the next to look up.</summary>
    public void Advance()
    {
        for (int k = 0; k < _lookingCount; k++)
            if (!store.Contains(_looking[k], _lookingHashes[k])) kept.Add((_looking[k], _lookingHashes[k]));
        (_looking, _pending, _lookingHashes, _pendingHashes) = (_pending, _looking, _pendingHashes, _lookingHashes);
        (_lookingCount, _pendingCount) = (_pendingCount, 0);
    }
}
