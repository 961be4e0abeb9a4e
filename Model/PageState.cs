using System.Runtime.CompilerServices;

namespace PageHintVerify.Model;

/// <summary>Guest block usage state (SPEC section 2, field <c>g</c>).</summary>
public enum GuestState : byte { Unused = 0, Stable = 1, Volatile = 2, PotentiallyVolatile = 3 }

/// <summary>Host state of a page (SPEC section 2, field <c>h</c>): resident, preserved (on the host's paging device) or zero.</summary>
public enum HostState : byte { Resident = 0, Preserved = 1, Zero = 2 }

/// <summary>The <c>(g,h)</c> pair the seed graphs draw as nodes, written as in the seeds: <c>Ur</c>, <c>Sp</c>, <c>Vz</c>, ….</summary>
public readonly record struct GuestHostState(GuestState G, HostState H)
{
    /// <summary>Number of distinct (g,h) pairs, valid or not: the size of an <see cref="Index"/>-addressed table.</summary>
    public const int Count = 12;

    /// <summary>The eight valid pairs of SPEC section 2, in SPEC order.</summary>
    public static readonly GuestHostState[] Valid = ["Ur", "Uz", "Sr", "Sp", "Sz", "Vr", "Vz", "Pr"];

    /// <summary>Every pair, valid or not, in <see cref="Index"/> order.</summary>
    public static readonly GuestHostState[] All =
        Enumerable.Range(0, Count).Select(FromIndex).ToArray();

    public int Index => (int)G * 3 + (int)H;
    public static GuestHostState FromIndex(int i) => new((GuestState)(i / 3), (HostState)(i % 3));

    /// <summary>True for the pairs SPEC section 2 allows (no Up, Vp, Pp, Pz).</summary>
    public bool IsValid => G switch
    {
        GuestState.Unused => H != HostState.Preserved,
        GuestState.Stable => true,
        GuestState.Volatile => H != HostState.Preserved,
        _ => H == HostState.Resident,
    };

    public override string ToString() => $"{"USVP"[(int)G]}{"rpz"[(int)H]}";

    public static bool TryParse(string text, out GuestHostState state)
    {
        state = default;
        if (text.Length != 2) return false;
        int g = "USVP".IndexOf(text[0]), h = "rpz".IndexOf(text[1]);
        if (g < 0 || h < 0) return false;
        state = new((GuestState)g, (HostState)h);
        return true;
    }

    public static GuestHostState Parse(string text) =>
        TryParse(text, out var s) ? s : throw new FormatException($"'{text}' is not a page state (expected one of Ur, Uz, Sr, Sp, Sz, Vr, Vz, Pr)");

    public static implicit operator GuestHostState(string text) => Parse(text);
}

/// <summary>
/// One page, every field of SPEC section 2, packed into 17 bits so the checker can put several pages in one word.
/// Layout (low to high): g:2 h:2 dirty:1 mem0:2 mem1:2 disk0:2 disk1:2 want0:2 want1:2. A want of 3 is ⊥.
/// </summary>
public readonly record struct PageState(uint Bits) : IPage<PageState, byte>
{
    public const int BitWidth = 17;
    public const uint Mask = (1u << BitWidth) - 1;
    /// <summary>The ghost value ⊥ of <c>want[c]</c>: any read result is fine.</summary>
    public const byte Bottom = 3;
    public const int Cells = 2;

    const int GShift = 0, HShift = 2, DirtyShift = 4, MemShift = 5, DiskShift = 9, WantShift = 13;

    /// <summary>All pages Uz, zero disk, want ⊥ (SPEC section 6).</summary>
    public static readonly PageState Initial = new PageState(0)
        .With(new GuestHostState(GuestState.Unused, HostState.Zero)).WithWant(0, Bottom).WithWant(1, Bottom);

    public GuestState G => (GuestState)(Bits & 3);
    public HostState H => (HostState)((Bits >> HShift) & 3);
    public GuestHostState GH => new(G, H);
    public bool Dirty => ((Bits >> DirtyShift) & 1) != 0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public byte Mem(int c) => (byte)((Bits >> (MemShift + 2 * c)) & 3);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public byte Disk(int c) => (byte)((Bits >> (DiskShift + 2 * c)) & 3);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public byte Want(int c) => (byte)((Bits >> (WantShift + 2 * c)) & 3);

    /// <summary>What the host holds for cell c: the frame or slot when r or p, else zero (SPEC I1's <c>content</c>).</summary>
    public byte Content(int c) => PageMachine<PageState, byte>.Content(this, c);

    static byte IPage<PageState, byte>.Zero => 0;
    static byte IPage<PageState, byte>.Bottom => Bottom;
    static byte IPage<PageState, byte>.WriteValue(byte want) => want == 1 ? (byte)2 : (byte)1;

    public PageState With(GuestHostState gh) => new((Bits & ~0xFu) | (uint)gh.G | ((uint)gh.H << HShift));
    public PageState WithDirty(bool dirty) => new(dirty ? Bits | (1u << DirtyShift) : Bits & ~(1u << DirtyShift));
    public PageState WithMem(int c, byte v) => Set(MemShift + 2 * c, v);
    public PageState WithDisk(int c, byte v) => Set(DiskShift + 2 * c, v);
    public PageState WithWant(int c, byte v) => Set(WantShift + 2 * c, v);
    PageState Set(int shift, byte v) => new((Bits & ~(3u << shift)) | ((uint)v << shift));

    /// <summary>Every field in range: cells 0..2, (g,h) a real pair (not necessarily valid).</summary>
    public bool IsEncodable =>
        (Bits & ~Mask) == 0 && H != (HostState)3 &&
        Mem(0) <= 2 && Mem(1) <= 2 && Disk(0) <= 2 && Disk(1) <= 2;

    /// <summary>Valid and canonical (SPEC section 2): h=z ⇒ mem=(0,0), dirty=0; h=p ⇒ dirty=0.</summary>
    public bool IsWellFormed =>
        IsEncodable && GH.IsValid &&
        (H != HostState.Zero || (Mem(0) == 0 && Mem(1) == 0 && !Dirty)) &&
        (H != HostState.Preserved || !Dirty);

    static string Cell(byte v) => v == Bottom ? "⊥" : v.ToString();

    /// <summary>Compact form used in traces: <c>Sr d=1 mem=12 disk=10 want=1⊥</c>.</summary>
    public override string ToString() =>
        $"{GH} d={(Dirty ? 1 : 0)} mem={Mem(0)}{Mem(1)} disk={Disk(0)}{Disk(1)} want={Cell(Want(0))}{Cell(Want(1))}";

    /// <summary>Parses the form <see cref="ToString"/> writes.</summary>
    public static bool TryParse(string text, out PageState page)
    {
        page = default;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5 || !GuestHostState.TryParse(parts[0], out var gh)) return false;
        string? d = Field(parts[1], "d="), m = Field(parts[2], "mem="), k = Field(parts[3], "disk="), w = Field(parts[4], "want=");
        if (d is not ("0" or "1") || m is not { Length: 2 } || k is not { Length: 2 } || w is not { Length: 2 }) return false;
        var p = new PageState(0).With(gh).WithDirty(d == "1");
        for (int c = 0; c < Cells; c++)
        {
            int mv = m[c] - '0', kv = k[c] - '0', wv = w[c] == '⊥' ? Bottom : w[c] - '0';
            if (mv is < 0 or > 2 || kv is < 0 or > 2 || (wv is < 0 or > 2 && w[c] != '⊥')) return false;
            p = p.WithMem(c, (byte)mv).WithDisk(c, (byte)kv).WithWant(c, (byte)wv);
        }
        page = p;
        return true;
    }

    static string? Field(string part, string prefix) => part.StartsWith(prefix, StringComparison.Ordinal) ? part[prefix.Length..] : null;

    /// <summary>Every encodable page value (valid or not): the whole per-page domain.</summary>
    public static IEnumerable<PageState> Domain()
    {
        for (uint b = 0; b <= Mask; b++)
        {
            var p = new PageState(b);
            if (p.IsEncodable) yield return p;
        }
    }
}
