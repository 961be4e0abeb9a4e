using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

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

    // Open addressing over (value, index + 1) pairs in one array, so a probe reads one cache line; index + 1 is 0 in an
    // empty slot and is written last (a release), so a reader that sees it also sees the value. A full table is
    // replaced, not changed: a reader holding the old one still finds everything that was in it.
    ulong[] _slots = new ulong[2 * InitialCapacity];
    ulong[] _values = new ulong[InitialCapacity]; // by index, for decoding; replaced by a larger copy when full
    int _count;
    readonly Lock _gate = new();

    /// <summary>Indices fit this many bits (<see cref="Limit"/> is below 2^29): two of them are the 58-bit value a
    /// <see cref="StateStore"/> segment files.</summary>
    public const int IndexBits = 29;

    /// <summary>Values a table can hold: 3/4 of 2^29 slots, for the next doubling would need a slot array (two words a
    /// slot) longer than .NET allows. One value more throws <see cref="StateSpaceLimitException"/>.</summary>
    const int Limit = 3 << 27;

    /// <summary>Distinct values interned.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes the table holds: the hash slots and the values by index.</summary>
    public long Bytes => (long)Volatile.Read(ref _slots).Length * 8 + (long)Volatile.Read(ref _values).Length * 8;

    /// <summary>The bytes after <paramref name="more"/> further values: the same doubling as <see cref="Intern"/>.</summary>
    public long BytesAfterAdding(long more)
    {
        long need = Count + more, slots = _slots.Length / 2, values = _values.Length;
        while (need * 4 > slots * 3) slots *= 2;
        while (need > values) values *= 2;
        return (slots * 2 + values) * 8;
    }

    /// <summary>The value with index <paramref name="index"/>, which must have been returned by <see cref="Intern"/>.</summary>
    public ulong this[int index] => Volatile.Read(ref _values)[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Home(ulong value, int capacity)
    {
        ulong h = value * 0x9E3779B97F4A7C15UL;
        return (int)(((h >> 32) * (ulong)capacity) >> 32);
    }

    /// <summary>Starts loading the slot a look-up of <paramref name="value"/> reads first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong value)
    {
        if (!Sse.IsSupported) return;
        var slots = _slots;
        fixed (ulong* p = &slots[2 * Home(value, slots.Length / 2)]) Sse.Prefetch0(p);
    }

    /// <summary>The index of <paramref name="value"/> if it is interned (and visible to this thread).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong value, out int index)
    {
        var slots = Volatile.Read(ref _slots);
        int cap = slots.Length / 2;
        for (int i = Home(value, cap); ; i = i + 1 == cap ? 0 : i + 1)
        {
            ulong tag = Volatile.Read(ref slots[2 * i + 1]);
            if (tag == 0) { index = -1; return false; }
            if (slots[2 * i] == value) { index = (int)(tag - 1); return true; }
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
            if ((index + 1) * 4L > _slots.Length / 2 * 3L) Rehash(_slots.Length);
            if (index == _values.Length)
            {
                var values = new ulong[_values.Length * 2];
                _values.CopyTo(values, 0);
                Volatile.Write(ref _values, values);
            }
            _values[index] = value;
            Place(_slots, value, index);
            Volatile.Write(ref _count, index + 1);
            return index;
        }
    }

    static void Place(ulong[] slots, ulong value, int index)
    {
        int cap = slots.Length / 2, i = Home(value, cap);
        while (slots[2 * i + 1] != 0) i = i + 1 == cap ? 0 : i + 1;
        slots[2 * i] = value;
        Volatile.Write(ref slots[2 * i + 1], (ulong)index + 1);
    }

    /// <summary>Builds a table of twice the capacity from the values by index, then publishes it.</summary>
    void Rehash(int length)
    {
        var slots = new ulong[length * 2];
        for (int i = 0; i < _count; i++) Place(slots, _values[i], i);
        Volatile.Write(ref _slots, slots);
    }
}
