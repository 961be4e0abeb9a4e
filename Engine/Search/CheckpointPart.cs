namespace PageHintVerify.Engine;

/// <summary>
/// The states of a checkpoint: a visited set and a frontier, each as a count (int64) and its entries, little-endian. A
/// visited entry is a one-word state (8 bytes), a two-word state (16) or, with hash compaction, a signature (8); a
/// frontier entry is a whole state (8 or 16 bytes). It says nothing of levels or of the rest of a search, so a
/// distributed search can write one part per partition.
/// </summary>
static class CheckpointPart
{
    /// <summary>Writes <paramref name="store"/> (nobody adding) and <paramref name="frontier"/>.</summary>
    public static void Write(BinaryWriter w, StateStore store, PackedState[] frontier, bool oneWord)
    {
        w.Write(store.Count);
        foreach (var (s, hash) in store.Entries())
            if (store.HashCompact) w.Write(hash);
            else WriteState(w, s, oneWord);
        w.Write((long)frontier.Length);
        foreach (var s in frontier) WriteState(w, s, oneWord);
    }

    /// <summary>
    /// Reads a part into <paramref name="store"/> (empty) and returns the frontier; <paramref name="bytes"/> is at most
    /// what the part may take. Throws <see cref="InvalidDataException"/> for a part that cannot be one, and
    /// <see cref="EndOfStreamException"/> for one cut short.
    /// </summary>
    public static PackedState[] Read(BinaryReader r, StateStore store, bool oneWord, long bytes)
    {
        const int SettleEvery = 1 << 20;
        int stateBytes = oneWord ? 8 : 16;
        long visited = Count(r, store.HashCompact ? 8 : stateBytes, ref bytes, "visited states");
        for (long i = 0; i < visited; i++)
        {
            if (!store.HashCompact) { var s = ReadState(r, oneWord, store); store.TryAdd(s, store.Hash(s)); }
            else if (r.ReadUInt64() is var signature && (signature & 1) != 0) store.TryAdd(default, signature);
            else throw new InvalidDataException("corrupt: a hash signature has its low bit clear");
            // States wait in their segment until it is settled: settling now and then keeps the waiting few.
            if (i % SettleEvery == SettleEvery - 1) store.Recount();
        }
        store.Recount();
        if (store.Count != visited) throw new InvalidDataException($"corrupt: its {visited:N0} visited states hold repeats");
        long size = Count(r, stateBytes, ref bytes, "frontier states");
        if (size > Array.MaxLength) throw new InvalidDataException($"corrupt: its frontier of {size:N0} states is longer than an array can be");
        var frontier = new PackedState[size];
        for (int i = 0; i < frontier.Length; i++)
            if (!store.Contains(frontier[i] = ReadState(r, oneWord, store), store.Hash(frontier[i])))
                throw new InvalidDataException($"corrupt: frontier state {frontier[i]} is not among the visited states");
        return frontier;
    }

    /// <summary>A count of entries of <paramref name="size"/> bytes, refused when they cannot fit in what is left.</summary>
    static long Count(BinaryReader r, int size, ref long bytes, string what)
    {
        long n = r.ReadInt64();
        bytes -= 8;
        if (n < 0 || n > bytes / size) throw new InvalidDataException($"truncated or corrupt: it claims {n:N0} {what}, more than the file holds");
        bytes -= n * size;
        return n;
    }

    static void WriteState(BinaryWriter w, in PackedState s, bool oneWord)
    {
        w.Write(s.A);
        if (!oneWord) w.Write(s.B);
    }

    /// <summary>A state; the top bit of its last word is never set (<see cref="PackedState"/>), and a narrow hash
    /// takes no state wider than its bits (<see cref="StateHash.Fits"/>).</summary>
    static PackedState ReadState(BinaryReader r, bool oneWord, StateStore store)
    {
        var s = new PackedState(r.ReadUInt64(), oneWord ? 0 : r.ReadUInt64());
        if ((oneWord ? s.A : s.B) >> 63 != 0) throw new InvalidDataException($"corrupt: {s} is not a state (its top bit is set)");
        if (!store.Hashing.Fits(s)) throw new InvalidDataException($"corrupt: {s} is not a state (it has more bits than the search's states)");
        return s;
    }
}
