using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PageHintVerify.Engine;

/// <summary>
/// A set of uniformly spread values of <see cref="ValueBits"/> bits (32 to 58), stored exactly in fewer bits than a
/// value (Cleary's quotienting): a value's top bits pick its home slot, so a slot keeps only the bits below them, plus
/// one bit to tell apart the two top-bit patterns a home may have, plus the entry's distance from its home. Robin Hood linear probing
/// keeps the entries in home order, so each one's home is its slot less its distance and the whole value can be rebuilt
/// when the table grows. Slots are packed bit by bit; a table grows by an eighth at nine-tenths full (doubling while
/// small), so it holds 0.8 to 0.9 of its slots. Values added wait in a side set until the writer settles the table
/// (<see cref="Settle"/>), which then grows once for all of them, by as many eighths as they need, or places them in
/// one pass: growing at each threshold rebuilt every value about nine times over a search, and inserting one by one at
/// that load shifts tens of entries each. Writers need one thread; readers may share the table while nobody writes.
/// </summary>
sealed class QuotientTable
{
    /// <summary>The widest values a table takes.</summary>
    public const int MaxValueBits = 58;
    const int DistanceBits = 7, MaxDistance = (1 << DistanceBits) - 1; // distance + 1 in a slot; 0 is empty
    const ulong DistanceMask = MaxDistance;
    const int InitialCapacity = 64, DoublingBelow = 4096, MinWaiting = 4096;
    /// <summary>About the slots one insertion at the table's load moves (a rebuild passes each slot once); 4 and 64
    /// measured slower (docs/performance.md).</summary>
    const int OneByOneCost = 16;

    readonly int _valueBits;
    byte[] _slots;
    int _capacity;  // homes; the slots run on past the last home as far as a distance reaches, so probes never wrap
    int _homeBits;  // p with capacity in (2^(p-1), 2^p]: the value's top p bits place it
    int _lowBits;   // _valueBits - p: the bits below them, all kept
    int _width;     // bits a slot
    ulong _slotMask;
    int _placed;    // values in the slots
    WaitingValues? _waiting; // values added since the table was last settled, not placed yet
    bool _settledItself;     // values added since the writer last settled it are in the slots (TryAdd settled them)

    /// <summary>Values held.</summary>
    public int Count => _placed + (_waiting?.Count ?? 0);

    public int Capacity => _capacity;

    /// <summary>Bytes the table holds.</summary>
    public long Bytes => _slots.Length + (_waiting?.Bytes ?? 0);

    /// <summary>Bits a value has: values are below 2^<see cref="ValueBits"/>.</summary>
    public int ValueBits => _valueBits;

    /// <summary>An empty table of values of <paramref name="valueBits"/> bits (at least 32, so that a value always keeps
    /// bits below the home bits of any capacity an int can count).</summary>
    public QuotientTable(int valueBits = MaxValueBits) : this(valueBits, InitialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(valueBits, 32);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valueBits, MaxValueBits);
    }

    QuotientTable(int valueBits, int capacity)
    {
        _valueBits = valueBits;
        _capacity = capacity;
        _homeBits = 32 - int.LeadingZeroCount(capacity - 1);
        _lowBits = valueBits - _homeBits;
        _width = Width(capacity, valueBits);
        _slotMask = _width == 64 ? ulong.MaxValue : (1UL << _width) - 1;
        _slots = new byte[SlotBytes(capacity, valueBits)];
    }

    /// <summary>Bits a slot: the low bits, the one top bit, the distance; a whole word when an unaligned read of eight
    /// bytes could not hold a slot at any bit offset.</summary>
    static int Width(int capacity, int valueBits)
    {
        int bits = valueBits - (32 - int.LeadingZeroCount(capacity - 1)) + 1 + DistanceBits;
        return bits > 56 ? 64 : bits;
    }

    static long SlotBytes(int capacity, int valueBits)
    {
        long bytes = ((long)(capacity + MaxDistance) * Width(capacity, valueBits) + 7) / 8 + 8; // + 8: the last slot's read
        if (bytes > Array.MaxLength) throw new OutOfMemoryException("a visited-set segment outgrew the largest array");
        return bytes;
    }

    static bool MustGrow(long count, int capacity) => count * 10 > capacity * 9L;

    static int NextCapacity(int capacity) =>
        (int)Math.Min(capacity < DoublingBelow ? capacity * 2L : capacity + capacity / 8L, int.MaxValue - MaxDistance - 1);

    /// <summary>The bytes this table's slots would hold at <paramref name="count"/> values, grown as
    /// <see cref="TryAdd"/> grows it.</summary>
    public long BytesAt(long count)
    {
        int capacity = _capacity;
        while (MustGrow(count, capacity)) capacity = NextCapacity(capacity);
        return SlotBytes(capacity, _valueBits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    int Home(ulong x) => (int)(((x >> _lowBits) * (ulong)_capacity) >> _homeBits);

    /// <summary>What a slot keeps of <paramref name="x"/>, shifted past the distance: the low bits and the top part's lowest bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong Remainder(ulong x) => (x & ((2UL << _lowBits) - 1)) << DistanceBits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    ulong Read(int slot)
    {
        long bit = (long)slot * _width;
        ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(bit >> 3)));
        return (word >> (int)(bit & 7)) & _slotMask;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void Write(int slot, ulong value)
    {
        long bit = (long)slot * _width;
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(bit >> 3));
        int shift = (int)(bit & 7);
        ulong word = Unsafe.ReadUnaligned<ulong>(ref at);
        Unsafe.WriteUnaligned(ref at, (word & ~(_slotMask << shift)) | (value << shift));
    }

    /// <summary><see cref="Write"/> for a slot that is empty: its bits are zero, so they need no clearing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    void WriteEmpty(int slot, ulong value)
    {
        long bit = (long)slot * _width;
        ref byte at = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), (nint)(bit >> 3));
        Unsafe.WriteUnaligned(ref at, Unsafe.ReadUnaligned<ulong>(ref at) | value << (int)(bit & 7));
    }

    /// <summary>Starts loading the slot a look-up of <paramref name="x"/> reads first, and the line after it: at the
    /// table's load a probe often walks on into it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong x) => CacheLine.Prefetch(ref _slots[(long)Home(x) * _width >> 3], linesAfter: 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ulong x) => !Find(x, out _, out _) || _waiting is { } w && w.Contains(x);

    /// <summary>False if <paramref name="x"/> is in the slots; else true, with the slot and distance where it would go.
    /// Robin Hood order: past an entry nearer its home than x would be, x cannot be (an empty slot has distance 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool Find(ulong x, out int slot, out ulong distance)
    {
        int i = Home(x);
        ulong want = Remainder(x);
        for (ulong d = 1; ; d++, i++)
        {
            ulong v = Read(i);
            if ((v & DistanceMask) < d) { (slot, distance) = (i, d); return true; }
            if (v == (want | d)) { (slot, distance) = (i, d); return false; }
        }
    }

    /// <summary>Adds <paramref name="x"/> unless it is in the table; true if it was not. The value waits in a side set
    /// until <see cref="Settle"/>, or until half as many values again as the slots hold wait.</summary>
    public bool TryAdd(ulong x) => Find(x, out _, out _) && Wait(x);

    /// <summary>
    /// <see cref="TryAdd"/> for a value <see cref="Contains"/> did not find since the writer last settled the table
    /// (a level's merge adds what its expansion looked up): the slots have not changed since, so only the values
    /// waiting can hold it, and the slots are not read again. Unless the table settled itself since.
    /// </summary>
    public bool TryAddMissing(ulong x) => _settledItself ? TryAdd(x) : Wait(x);

    /// <summary>Adds a value not in the slots to the waiting set unless it waits already; settles the table when half
    /// as many values again as the slots hold wait.</summary>
    bool Wait(ulong x)
    {
        if (!(_waiting ??= new WaitingValues(_valueBits)).Add(x)) return false;
        if (_waiting.Count >= Math.Max(_placed / 2, MinWaiting))
        {
            Place();
            _settledItself = true;
        }
        return true;
    }

    /// <summary>
    /// Places the values waiting. Few of them go in one by one; more are merged with the slots in home order into a
    /// new table, of the same capacity or as many eighths larger as they need: one sequential pass, where each single
    /// insertion at nine-tenths full shifts tens of entries. A writer calls it when it stops adding, so that the table
    /// is compact for its readers.
    /// </summary>
    public void Settle()
    {
        Place();
        _settledItself = false;
    }

    void Place()
    {
        if (_waiting is null) return;
        var more = _waiting.Sorted();
        _waiting = null;
        if (MustGrow(_placed + (long)more.Length, _capacity) || (long)more.Length * OneByOneCost > _capacity) Rebuild(more, _capacity);
        else foreach (ulong x in more) Insert(x);
    }

    /// <summary>Places a value not in the slots. A distance that passes the slot's field leaves one value out (x or one
    /// it displaced): grow and place that.</summary>
    void Insert(ulong x)
    {
        Find(x, out int slot, out ulong distance);
        while (!TryPlace(slot, Remainder(x), distance, out x))
        {
            Rebuild([], NextCapacity(_capacity));
            (slot, distance) = (Home(x), 1);
        }
    }

    /// <summary>Places the kept bits <paramref name="carry"/> at <paramref name="i"/>, <paramref name="d"/> from their
    /// home, moving on the entries nearer theirs; false, with the value left out, when a distance passes the field.</summary>
    bool TryPlace(int i, ulong carry, ulong d, out ulong spilled)
    {
        for (; ; i++, d++)
        {
            if (d > MaxDistance)
            {
                spilled = ValueAt(i - (int)d + 1, carry, FirstTop(i - (int)d + 1));
                return false;
            }
            ulong v = Read(i), vd = v & DistanceMask;
            if (vd >= d) continue;
            Write(i, carry | d);
            if (vd == 0)
            {
                _placed++;
                spilled = 0;
                return true;
            }
            (carry, d) = (v & ~DistanceMask, vd);
        }
    }

    /// <summary>The smallest top part placed at <paramref name="home"/> or after.</summary>
    ulong FirstTop(int home) => (((ulong)home << _homeBits) + (ulong)_capacity - 1) / (ulong)_capacity;

    /// <summary>The value in a slot (kept bits <paramref name="kept"/>, distance cleared or not) whose home is
    /// <paramref name="home"/>; <paramref name="firstTop"/> is <see cref="FirstTop"/> of that home. At most two top
    /// parts share a home (a capacity above 2^(p-1) moves the home by more than half a slot per top part), and they
    /// are consecutive, so the kept top bit tells which.</summary>
    ulong ValueAt(int home, ulong kept, ulong firstTop)
    {
        kept >>= DistanceBits;
        ulong top = firstTop + ((firstTop ^ (kept >> _lowBits)) & 1);
        return top << _lowBits | (kept & ((1UL << _lowBits) - 1));
    }

    /// <summary>Every value, in slot order (which is home order), after placing those waiting.</summary>
    public IEnumerable<ulong> Values()
    {
        Settle();
        var values = new List<ulong>(Count);
        for (var e = new Walk(this); e.Next(out ulong x);) values.Add(x);
        return values;
    }

    /// <summary>The values in slot order, finding each home's first top part by stepping forward (homes never
    /// decrease along the slots), not by dividing.</summary>
    struct Walk(QuotientTable table)
    {
        int _slot;
        ulong _top;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Next(out ulong x)
        {
            for (int slots = table._capacity + MaxDistance; _slot < slots; _slot++)
            {
                ulong v = table.Read(_slot), d = v & DistanceMask;
                if (d == 0) continue;
                int home = _slot++ - (int)d + 1;
                while (((_top * (ulong)table._capacity) >> table._homeBits) < (ulong)home) _top++;
                x = table.ValueAt(home, v, _top);
                return true;
            }
            x = 0;
            return false;
        }
    }

    /// <summary>Moves the values and <paramref name="more"/> (ascending, none in the slots) into a new table: the first
    /// capacity from <paramref name="capacity"/> on (by <see cref="NextCapacity"/>) that holds them all below the
    /// threshold and where every distance fits.</summary>
    void Rebuild(ReadOnlySpan<ulong> more, int capacity)
    {
        for (; ; capacity = NextCapacity(capacity))
        {
            if (MustGrow(_placed + (long)more.Length, capacity)) continue;
            var next = new QuotientTable(_valueBits, capacity);
            if (!next.PlaceAll(this, more)) continue;
            (_slots, _capacity, _homeBits, _lowBits, _width, _slotMask, _placed) =
                (next._slots, next._capacity, next._homeBits, next._lowBits, next._width, next._slotMask, next._placed);
            return;
        }
    }

    /// <summary>Places an empty table's values: <paramref name="from"/>'s and <paramref name="more"/>, merged in
    /// ascending order as far as <paramref name="from"/>'s slot order allows; false if a distance passes the field.</summary>
    bool PlaceAll(QuotientTable from, ReadOnlySpan<ulong> more)
    {
        var placing = new InOrderPlacing(this);
        int m = 0;
        for (var walk = new Walk(from); walk.Next(out ulong x);)
        {
            for (; m < more.Length && more[m] < x; m++)
                if (!placing.Place(more[m])) return false;
            if (!placing.Place(x)) return false;
        }
        for (; m < more.Length; m++)
            if (!placing.Place(more[m])) return false;
        return true;
    }

    /// <summary>
    /// Fills an empty table with values that come mostly in home order: then every slot up to the last filled holds
    /// an entry from an earlier home, which a probe would pass by, and the value goes to the first slot after them (a
    /// probe from its home would get there). Only a value whose home is before the last one's (two values of one old
    /// home, apart in the new table) is probed.
    /// </summary>
    struct InOrderPlacing(QuotientTable table)
    {
        int _lastHome, _end; // every filled slot is below _end

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Place(ulong x)
        {
            int home = table.Home(x);
            if (home >= _lastHome)
            {
                // The slot is empty (at or past _end), so it is written without probing, reading or masking.
                int at = Math.Max(home, _end);
                (_lastHome, _end) = (home, at + 1);
                ulong distance = (ulong)(at - home + 1);
                if (distance > MaxDistance) return false;
                table.WriteEmpty(at, table.Remainder(x) | distance);
                table._placed++;
                return true;
            }
            bool placed = table.TryPlace(home, table.Remainder(x), 1, out _);
            if ((table.Read(_end) & DistanceMask) != 0) _end++; // the probe shifted its cluster up to _end
            return placed;
        }
    }

    /// <summary>Values added since the table was last settled: open addressing over value + 1 (0 is empty), each homed
    /// by its top bits, so the slot order is nearly the ascending order.</summary>
    sealed class WaitingValues(int valueBits)
    {
        const int InitialBits = 8;
        int _bits = InitialBits;
        ulong[] _slots = new ulong[1 << InitialBits];

        public int Count { get; private set; }

        public long Bytes => _slots.LongLength * sizeof(ulong);

        public bool Contains(ulong x) => _slots[SlotOf(x)] != 0;

        /// <summary>Adds <paramref name="x"/> unless it waits already; true if it did not. One probe finds it or the
        /// empty slot it takes.</summary>
        public bool Add(ulong x)
        {
            if ((Count + 1) * 4L > _slots.Length * 3L)
            {
                var old = _slots;
                (_slots, _bits) = (new ulong[old.Length * 2], _bits + 1);
                foreach (ulong v in old)
                    if (v != 0) _slots[SlotOf(v - 1)] = v; // distinct values: the probe ends at an empty slot
            }
            int i = SlotOf(x);
            if (_slots[i] != 0) return false;
            _slots[i] = x + 1;
            Count++;
            return true;
        }

        /// <summary>The slot holding <paramref name="x"/>, or the empty slot where its probe ends.</summary>
        int SlotOf(ulong x)
        {
            int i = (int)(x >> (valueBits - _bits));
            while (_slots[i] != 0 && _slots[i] != x + 1) i = (i + 1) & (_slots.Length - 1);
            return i;
        }

        public ulong[] Sorted()
        {
            var values = new ulong[Count];
            int n = 0;
            foreach (ulong v in _slots)
                if (v != 0) values[n++] = v - 1;
            Array.Sort(values);
            return values;
        }
    }
}
