using PageHintVerify.PageTable;
using PageHintVerify.Schedules;

namespace PageHintVerify.Properties.Schedules;

/// <summary><see cref="ScheduledMemory"/> for every access: a broken memory below replaces one.</summary>
public interface IScheduledMemory : IMemory
{
    static ulong IMemory.Load(ref ulong word) => ScheduledMemory.Load(ref word);
    static ulong IMemory.CompareExchange(ref ulong word, ulong value, ulong comparand) => ScheduledMemory.CompareExchange(ref word, value, comparand);
    static void IMemory.Release(ref ulong word, ulong value) => ScheduledMemory.Release(ref word, value);
    static byte IMemory.LoadCell(ref byte cell) => ScheduledMemory.LoadCell(ref cell);
    static byte IMemory.ReadCell(ref byte cell) => ScheduledMemory.ReadCell(ref cell);
    static void IMemory.WriteCell(ref byte cell, byte value) => ScheduledMemory.WriteCell(ref cell, value);
    static void IMemory.Wait(ref ulong word, ref SpinWait spinner) => ScheduledMemory.Wait(ref word, ref spinner);
}

/// <summary>A compare-and-swap made of a load and a store: another thread can commit between the two.</summary>
public readonly struct TornCompareExchange : IScheduledMemory
{
    static ulong IMemory.CompareExchange(ref ulong word, ulong value, ulong comparand)
    {
        ulong found = ScheduledMemory.Load(ref word);
        if (found == comparand) ScheduledMemory.Release(ref word, value);
        return found;
    }
}

/// <summary>A release store that never reaches memory: the page stays pinned.</summary>
public readonly struct LostRelease : IScheduledMemory
{
    static void IMemory.Release(ref ulong word, ulong value) { }
}

/// <summary>A compare-and-swap that fails every time without swapping (a weak one whose spurious failures never end).</summary>
public readonly struct FailingCompareExchange : IScheduledMemory
{
    static ulong IMemory.CompareExchange(ref ulong word, ulong value, ulong comparand)
    {
        ScheduledMemory.Load(ref word);
        return ~comparand;
    }
}
