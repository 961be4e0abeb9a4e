using PageHintVerify.PageTable;

namespace PageHintVerify.TestKit;

/// <summary>
/// The machine's own memory with noise at the seam: before an access, a thread sometimes spins, yields or sleeps a short
/// random while, so that operations on real threads stretch out and overlap instead of finishing before the next thread starts.
/// The noise is drawn from a per-thread random that <see cref="Seed"/> fixes, so the same case makes the same noise
/// (the interleaving itself still depends on the machine).
/// </summary>
public readonly struct NoisyMemory : IMemory
{
    [ThreadStatic] static Random? t_noise;
    [ThreadStatic] static long t_lost, t_waits;

    /// <summary>Fixes this thread's noise and zeroes its <see cref="Counts"/>; a thread never seeded runs without noise.</summary>
    public static void Seed(int seed) => (t_noise, t_lost, t_waits) = (new Random(seed), 0, 0);

    /// <summary>This thread's compare-and-swaps that lost a race and its waits on a pinned word, since <see cref="Seed"/>.</summary>
    public static SeamCounts Counts => new(t_lost, t_waits);

    static void Noise()
    {
        if (t_noise is not { } noise) return;
        int roll = noise.Next(32);
        if (roll < 12) Thread.SpinWait(noise.Next(1, 128));
        else if (roll < 15) Thread.Yield();
        // A sleep hands the core to the other threads even when the machine is loaded and they do not run in parallel.
        else if (roll == 15) Thread.Sleep(1);
    }

    public static ulong Load(ref ulong word) { Noise(); return HardwareMemory.Load(ref word); }

    public static ulong CompareExchange(ref ulong word, ulong value, ulong comparand)
    {
        Noise();
        ulong found = HardwareMemory.CompareExchange(ref word, value, comparand);
        if (found != comparand) t_lost++;
        return found;
    }

    public static void Release(ref ulong word, ulong value) { Noise(); HardwareMemory.Release(ref word, value); }

    public static byte LoadCell(ref byte cell) { Noise(); return HardwareMemory.LoadCell(ref cell); }

    public static byte ReadCell(ref byte cell) { Noise(); return HardwareMemory.ReadCell(ref cell); }

    public static void WriteCell(ref byte cell, byte value) { Noise(); HardwareMemory.WriteCell(ref cell, value); }

    public static void Wait(ref ulong word, ref SpinWait spinner)
    {
        t_waits++;
        HardwareMemory.Wait(ref word, ref spinner);
    }
}
