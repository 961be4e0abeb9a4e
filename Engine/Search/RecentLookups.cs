using System.Runtime.CompilerServices;

namespace PageHintVerify.Engine;

/// <summary>
/// Successors just looked up in one chunk, direct-mapped by hash: a repeat needs no second look-up (if it was new it is
/// already kept, and the merge would drop it anyway). Depends only on the chunk, not on threads. It holds hashes, half
/// the bytes of states, so more of it stays in L2: a one-word state's hash is a bijection of its word, so equal hashes
/// are equal states (<see cref="StateHash"/>); wider states are compared in full when their hashes match.
/// </summary>
readonly struct RecentLookups
{
    const int Slots = 16384;

    /// <summary>No state: the second word's top bit is never set (<see cref="BitLayout"/>).</summary>
    static readonly PackedState Unused = new(ulong.MaxValue, ulong.MaxValue);

    readonly ulong _unusedHash; // the hash of no one-word state
    readonly ulong[] _hashes;
    readonly PackedState[]? _states; // only for two-word states

    public RecentLookups(StateHash hashing, bool oneWord)
    {
        _unusedHash = hashing.NoOneWordState;
        _hashes = new ulong[Slots];
        if (!oneWord) _states = new PackedState[Slots];
        Clear();
    }

    /// <summary>Forgets every look-up, so that a chunk's cache depends on that chunk alone (and not on which chunks its
    /// worker took before).</summary>
    public void Clear()
    {
        Array.Fill(_hashes, _unusedHash);
        if (_states is not null) Array.Fill(_states, Unused);
    }

    /// <summary>True if <paramref name="s"/> was the last state looked up in its slot; else records it there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Repeat(in PackedState s, ulong hash)
    {
        int slot = (int)hash & (Slots - 1);
        if (_hashes[slot] == hash && (_states is null || _states[slot] == s)) return true;
        _hashes[slot] = hash;
        if (_states is not null) _states[slot] = s;
        return false;
    }
}
