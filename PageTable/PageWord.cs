using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>
/// The machine word a lock-free page table keeps per page: usage state, host state, change bit and a pin bit
/// (bits 0-5), and a version (bits 8-63) that every successful compare-and-swap bumps so that readers can validate
/// what they read. The pin says "a guest is storing data into this page": while it is set, no reclaim or usage-state
/// change commits, which is what keeps a host discard from losing a write.
/// </summary>
/// <remarks>
/// The version is 56 bits wide because an optimistic reader stalled between its two loads is fooled only if the
/// version comes back to the value it loaded: with 24 bits, 2^24 commits to one page during one stall (about two
/// seconds of a busy page) let a read validate that should have retried. 2^56 commits at 10^9 per second take more than
/// two years, so <see cref="VersionBound"/> bounds a stall no scheduler comes near. The word is 64 bits, which
/// <c>Interlocked.CompareExchange</c> swaps as one on every 64-bit platform.
/// </remarks>
public readonly record struct PageWord(ulong Bits)
{
    const ulong StateMask = 0x1F, PinBit = 1ul << 5, VersionOne = 1ul << VersionShift;
    const int VersionShift = 8;

    /// <summary>The number of distinct versions: a reader is fooled only by a multiple of this many commits during its stall.</summary>
    public const ulong VersionBound = 1ul << (64 - VersionShift);

    public GuestState G => (GuestState)(Bits & 3);
    public HostState H => (HostState)((Bits >> 2) & 3);
    public GuestHostState GH => new(G, H);
    public bool Dirty => (Bits & (1ul << 4)) != 0;
    public bool Pinned => (Bits & PinBit) != 0;
    public ulong Version => Bits >> VersionShift;

    /// <summary>The word without its version: what the transition logic looks at and what the model checker stores.</summary>
    public PageWord Abstract => new(Bits & (StateMask | PinBit));

    /// <summary>The word of a model page (g, h, dirty), unpinned, version 0.</summary>
    public static PageWord Of(PageState page) => new(page.Bits & StateMask);

    public PageWord WithPin(bool pinned) => new(pinned ? Bits | PinBit : Bits & ~PinBit);

    /// <summary>This word with the abstract state of <paramref name="desired"/> and the next version.</summary>
    public PageWord Next(PageWord desired) => new(((Bits & ~0xFFul) + VersionOne) | desired.Abstract.Bits);

    /// <summary>A model page with this word's g, h and change bit and <paramref name="content"/>'s cells and ghosts.</summary>
    public PageState Over(PageState content) => new((content.Bits & ~(uint)StateMask) | (uint)(Bits & StateMask));

    public override string ToString() =>
        $"{GH} d={(Dirty ? 1 : 0)}{(Pinned ? " pinned" : "")} v{Version}";
}
