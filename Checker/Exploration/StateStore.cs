using System.Runtime.CompilerServices;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// Every state found so far, in discovery (breadth-first) order, with its parent for trace reconstruction, and an
/// open-addressing hash table from state to index. Plain arrays: 16 bytes a state, 4 for the parent, and 4 a table slot
/// at a load factor of at most one half.
/// </summary>
public sealed class StateStore
{
    ulong[] _a = new ulong[1 << 16], _b = new ulong[1 << 16];
    int[] _parent = new int[1 << 16];
    int[] _table = new int[1 << 17]; // index + 1; 0 is empty
    int _mask = (1 << 17) - 1;

    public int Count { get; private set; }

    public PackedState this[int index] => new(_a[index], _b[index]);
    public int Parent(int index) => _parent[index];

    /// <summary>Bytes held by the store's arrays now.</summary>
    public long Bytes => _a.LongLength * 16 + _parent.LongLength * 4 + _table.LongLength * 4;

    /// <summary>Bytes the store would hold after growing to take <paramref name="more"/> further states.</summary>
    public long BytesAfterAdding(int more)
    {
        long need = (long)Count + more, cap = _a.LongLength, table = _table.LongLength;
        while (cap < need) cap *= 2;
        while (table < need * 2) table *= 2;
        return cap * 20 + table * 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static int Hash(in PackedState s)
    {
        ulong h = s.A * 0x9E3779B97F4A7C15UL ^ (s.B + 0x632BE59BD9B4E019UL) * 0xC2B2AE3D27D4EB4FUL;
        return (int)(h ^ (h >> 31) ^ (h >> 17));
    }

    /// <summary>The index of a known state, or -1. Safe to call from many threads while nobody adds.</summary>
    public int Find(in PackedState s)
    {
        for (int i = Hash(s) & _mask; ; i = (i + 1) & _mask)
        {
            int e = _table[i];
            if (e == 0) return -1;
            if (_a[e - 1] == s.A && _b[e - 1] == s.B) return e - 1;
        }
    }

    /// <summary>Adds a state unless it is known; returns its index and whether it is new.</summary>
    public bool TryAdd(in PackedState s, int parent, out int index)
    {
        int i = Hash(s) & _mask;
        for (; ; i = (i + 1) & _mask)
        {
            int e = _table[i];
            if (e == 0) break;
            if (_a[e - 1] == s.A && _b[e - 1] == s.B) { index = e - 1; return false; }
        }
        if (Count == _a.Length)
        {
            Array.Resize(ref _a, _a.Length * 2);
            Array.Resize(ref _b, _b.Length * 2);
            Array.Resize(ref _parent, _parent.Length * 2);
        }
        index = Count++;
        _a[index] = s.A;
        _b[index] = s.B;
        _parent[index] = parent;
        _table[i] = index + 1;
        if (Count * 2 > _table.Length) Rehash();
        return true;
    }

    void Rehash()
    {
        _table = new int[_table.Length * 2];
        _mask = _table.Length - 1;
        for (int index = 0; index < Count; index++)
        {
            int i = Hash(new PackedState(_a[index], _b[index])) & _mask;
            while (_table[i] != 0) i = (i + 1) & _mask;
            _table[i] = index + 1;
        }
    }
}
