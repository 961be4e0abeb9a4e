using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace PageHintVerify.Engine;

/// <summary>Software prefetch for the tables a search reads at random: a hint to start loading a cache line, which
/// never faults and does nothing where the CPU has no prefetch instruction.</summary>
public static class CacheLine
{
    /// <summary>Starts loading the line holding <paramref name="at"/>, and the <paramref name="linesAfter"/> lines
    /// after it. The address is not pinned: should the object move, only the hint is lost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T at, int linesAfter = 0)
    {
        if (!Sse.IsSupported) return;
        byte* p = (byte*)Unsafe.AsPointer(ref at);
        Sse.Prefetch0(p);
        for (int i = 1; i <= linesAfter; i++) Sse.Prefetch0(p + 64 * i);
    }
}
