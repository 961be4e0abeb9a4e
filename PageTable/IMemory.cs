using System.Runtime.CompilerServices;

namespace PageHintVerify.PageTable;

/// <summary>
/// The seam between the lock-free table and shared memory: every access the table makes to a page's word or cells goes
/// through one of these members, so a test can run the table's real code one access at a time under its own scheduler.
/// The members are static abstract and the table is generic over a struct implementing them, so the JIT specializes the
/// table for each implementation: with <see cref="HardwareMemory"/> it compiles to the instructions the table would
/// have if it called <see cref="Volatile"/> and <see cref="Interlocked"/> itself.
/// </summary>
public interface IMemory
{
    /// <summary>An acquire load of a page's word.</summary>
    static abstract ulong Load(ref ulong word);

    /// <summary>A compare-and-swap of a page's word; returns the word found (equal to <paramref name="comparand"/> on success).</summary>
    static abstract ulong CompareExchange(ref ulong word, ulong value, ulong comparand);

    /// <summary>A release store of a page's word: what unpins it and publishes the cells written under the pin.</summary>
    static abstract void Release(ref ulong word, ulong value);

    /// <summary>An acquire load of a cell: the optimistic read's cell, between its two loads of the word.</summary>
    static abstract byte LoadCell(ref byte cell);

    /// <summary>A plain read of a cell by the thread that holds the page's pin.</summary>
    static abstract byte ReadCell(ref byte cell);

    /// <summary>A plain write of a cell by the thread that holds the page's pin.</summary>
    static abstract void WriteCell(ref byte cell, byte value);

    /// <summary>
    /// The thread found <paramref name="word"/> pinned and will load it again: one turn of a spin loop on hardware;
    /// under a scheduler, the thread is blocked until another thread writes the word.
    /// </summary>
    static abstract void Wait(ref ulong word, ref SpinWait spinner);
}

/// <summary>The machine's own memory: what production code runs on.</summary>
public readonly struct HardwareMemory : IMemory
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Load(ref ulong word) => Volatile.Read(ref word);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange(ref ulong word, ulong value, ulong comparand) =>
        Interlocked.CompareExchange(ref word, value, comparand);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Release(ref ulong word, ulong value) => Volatile.Write(ref word, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte LoadCell(ref byte cell) => Volatile.Read(ref cell);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ReadCell(ref byte cell) => cell;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteCell(ref byte cell, byte value) => cell = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Wait(ref ulong word, ref SpinWait spinner) => spinner.SpinOnce();
}
