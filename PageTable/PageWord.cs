using PageHintVerify.Model;

namespace PageHintVerify.PageTable;

/// <summary>
/// The machine word a lock-free page table keeps per page: usage state, host state, change bit and a pin bit
/// (bits 0-5), and a version (bits 8-31) that every successful compare-and-swap bumps so that readers can validate
/// what they read. The pin says "a guest is storing data into this page": while it is set, no reclaim or usage-state
/// change commits, which is what keeps a host discard from losing a write.
/// </summary>
public readonly record struct PageWord(uint Bits)
{
    const uint StateMask = 0x1F, PinBit = 1u << 5, VersionOne = 1u << VersionShift;
    const int VersionShift = 8;

    public GuestState G => (GuestState)(Bits & 3);
    public HostState H => (HostState)((Bits >> 2) & 3);
    public GuestHostState GH => new(G, H);
    public bool Dirty => (Bits & (1u << 4)) != 0;
    public bool Pinned => (Bits & PinBit) != 0;
    public uint Version => Bits >> VersionShift;

    /// <summary>The word without its version: what the transition logic looks at and what the model checker stores.</summary>
    public PageWord Abstract => new(Bits & (StateMask | PinBit));

    /// <summary>The word of a model page (g, h, dirty), unpinned, version 0.</summary>
    public static PageWord Of(PageState page) => new(page.Bits & StateMask);

    public PageWord WithPin(bool pinned) => new(pinned ? Bits | PinBit : Bits & ~PinBit);

    /// <summary>This word with the abstract state of <paramref name="desired"/> and the next version.</summary>
    public PageWord Next(PageWord desired) => new(((Bits & ~0xFFu) + VersionOne) | desired.Abstract.Bits);

    /// <summary>A model page with this word's g, h and change bit and <paramref name="content"/>'s cells and ghosts.</summary>
    public PageState Over(PageState content) => new((content.Bits & ~StateMask) | (Bits & StateMask));

    public override string ToString() =>
        $"{GH} d={(Dirty ? 1 : 0)}{(Pinned ? " pinned" : "")} v{Version}";
}
