using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PageHintVerify.Engine;

/// <summary>
/// Interns one component of a collapsed state (a word of a two-word state, as SPIN's -DCOLLAPSE interns a process's
/// local state): each distinct value gets a dense index 0, 1, 2, ... in the order values first arrive, and keeps it
/// for the table's life, so indices stored elsewhere stay valid while the table grows.
/// Look-ups take no lock and are safe while other threads intern; interning a value not yet there takes one lock.
/// A look-up racing with the insertion of its own value may miss it, which only means "not stored yet": a caller
/// that needs the value interns it and finds it under the lock. Values never leave.
/// </summary>
public sealed class ComponentTable
{
    const int InitialCapacity = 64;

    /// <summary>A slot: a value and its index + 1 (0 in an empty slot), twelve bytes, so a probe reads one cache line
    /// and the table needs no second array of values by index.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    struct Slot
    {
        public ulong Value;
        public uint Tag;
    }

    // Open addressing; a slot's tag is written last (a release), so a reader that sees it also sees the value. A full
    // table is replaced, not changed: a reader holding the old one still finds everything that was in it.
    Slot[] _slots = new Slot[InitialCapacity];
    int _count;
    readonly Lock _gate = new();

    /// <summary>Indices fit this many bits (<see cref="Limit"/> is below 2^29): two of them are the 58-bit value a
    /// <see cref="StateStore"/> segment files.</summary>
    public const int IndexBits = 29;

    /// <summary>Values a table can hold: 3/4 of 2^29 slots. One value more throws <see cref="StateSpaceLimitException"/>.</summary>
    const int Limit = 3 << 27;

    /// <summary>Distinct values interned.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes the table holds.</summary>
    public long Bytes => (long)Volatile.Read(ref _slots).Length * Unsafe.SizeOf<Slot>();

    /// <summary>The bytes after <paramref name="more"/> further values: the same doubling as <see cref="Intern"/>.</summary>
    public long BytesAfterAdding(long more)
    {
        long need = Count + more, slots = _slots.Length;
        while (need * 4 > slots * 3) slots *= 2;
        return slots * Unsafe.SizeOf<Slot>();
    }

    /// <summary>Every value interned, by index (a copy, built by one pass over the slots: for enumerating a store, not
    /// for look-ups).</summary>
    public ulong[] Values()
    {
        var slots = Volatile.Read(ref _slots);
        var values = new ulong[slots.Length];
        int count = 0;
        foreach (var slot in slots)
            if (slot.Tag != 0) (values[slot.Tag - 1], count) = (slot.Value, Math.Max(count, (int)slot.Tag));
        return values[..count];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Home(ulong value, int capacity)
    {
        ulong h = value * 0x9E3779B97F4A7C15UL;
        return (int)(((h >> 32) * (ulong)capacity) >> 32);
    }

    /// <summary>Starts loading the slot a look-up of <paramref name="value"/> reads first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong value)
    {
        var slots = _slots;
        CacheLine.Prefetch(ref slots[Home(value, slots.Length)]);
    }

    /// <summary>The index of <paramref name="value"/> if it is interned (and visible to this thread).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong value, out int index)
    {
        var slots = Volatile.Read(ref _slots);
        int cap = slots.Length;
        for (int i = Home(value, cap); ; i = i + 1 == cap ? 0 : i + 1)
        {
            uint tag = Volatile.Read(ref slots[i].Tag);
            if (tag == 0) { index = -1; return false; }
            if (slots[i].Value == value) { index = (int)(tag - 1); return true; }
        }
    }

    /// <summary>The index of <paramref name="value"/>, interning it first if it is new.</summary>
    public int Intern(ulong value)
    {
        if (TryFind(value, out int index)) return index;
        lock (_gate)
        {
            if (TryFind(value, out index)) return index;
            index = _count;
            if (index >= Limit)
                throw new StateSpaceLimitException(StateSpaceLimit.DistinctWords, $"the state space has more than {Limit:N0} distinct state words");
            if ((index + 1) * 4L > _slots.Length * 3L) Rehash();
            Place(_slots, value, (uint)index + 1);
            Volatile.Write(ref _count, index + 1);
            return index;
        }
    }

    static void Place(Slot[] slots, ulong value, uint tag)
    {
        int cap = slots.Length, i = Home(value, cap);
        while (slots[i].Tag != 0) i = i + 1 == cap ? 0 : i + 1;
        slots[i].Value = value;
        Volatile.Write(ref slots[i].Tag, tag);
    }

    /// <summary>Builds a table of twice the capacity from this one's slots, then publishes it.</summary>
    void Rehash()
    {
        var slots = new Slot[_slots.Length * 2];
        foreach (var slot in _slots)
            if (slot.Tag != 0) Place(slots, slot.Value, slot.Tag);
        Volatile.Write(ref _slots, slots);
    }
}
