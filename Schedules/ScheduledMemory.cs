using PageHintVerify.PageTable;

namespace PageHintVerify.Schedules;

/// <summary>
/// Memory under a <see cref="Scheduler"/>: each access parks the calling thread until the scheduler picks it, then
/// happens and is recorded. Called from a thread no scheduler runs (a test's own thread, a table's constructor), it is
/// the machine's memory.
/// </summary>
public readonly struct ScheduledMemory : IMemory
{
    public static ulong Load(ref ulong word)
    {
        if (Scheduler.Current is not { } w) return Volatile.Read(ref word);
        var access = Park(w, AccessKind.Load, w.Scheduler.Locations.Locate(ref word));
        ulong value = word;
        w.Scheduler.Record(w.Index, access, value, 0, true);
        return value;
    }

    public static ulong CompareExchange(ref ulong word, ulong value, ulong comparand)
    {
        if (Scheduler.Current is not { } w) return Interlocked.CompareExchange(ref word, value, comparand);
        var access = Park(w, AccessKind.CompareExchange, w.Scheduler.Locations.Locate(ref word), comparand);
        ulong found = Interlocked.CompareExchange(ref word, value, comparand);
        w.Scheduler.Record(w.Index, access, found, value, found == comparand);
        return found;
    }

    public static void Release(ref ulong word, ulong value)
    {
        if (Scheduler.Current is not { } w)
        {
            Volatile.Write(ref word, value);
            return;
        }
        var access = Park(w, AccessKind.Release, w.Scheduler.Locations.Locate(ref word));
        word = value;
        w.Scheduler.Record(w.Index, access, 0, value, true);
    }

    public static byte LoadCell(ref byte cell) => Read(ref cell, AccessKind.LoadCell);

    public static byte ReadCell(ref byte cell) => Read(ref cell, AccessKind.ReadCell);

    public static void WriteCell(ref byte cell, byte value)
    {
        if (Scheduler.Current is not { } w)
        {
            cell = value;
            return;
        }
        var access = Park(w, AccessKind.WriteCell, w.Scheduler.Locations.Locate(ref cell));
        cell = value;
        w.Scheduler.Record(w.Index, access, 0, value, true);
    }

    public static void Wait(ref ulong word, ref SpinWait spinner)
    {
        if (Scheduler.Current is not { } w) spinner.SpinOnce();
        else w.Scheduler.Block(w.Index, w.Scheduler.Locations.Locate(ref word));
    }

    static byte Read(ref byte cell, AccessKind kind)
    {
        if (Scheduler.Current is not { } w) return Volatile.Read(ref cell);
        var access = Park(w, kind, w.Scheduler.Locations.Locate(ref cell));
        byte value = cell;
        w.Scheduler.Record(w.Index, access, value, 0, true);
        return value;
    }

    static Access Park(Scheduler.Worker w, AccessKind kind, int location, ulong comparand = 0)
    {
        var access = new Access(kind, location);
        w.Scheduler.Park(w.Index, access, comparand);
        return access;
    }
}
