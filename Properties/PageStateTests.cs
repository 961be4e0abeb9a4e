using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>The packed page (SPEC section 2): every field survives packing, the text form round-trips, and
/// well-formedness is exactly SPEC's valid pairs plus canonical form.</summary>
public class PageStateTests
{
    static readonly PageState[] Domain = PageState.Domain().ToArray();

    // SPEC §2, written out: the eight valid (g,h) pairs.
    static readonly string[] SpecValidPairs = ["Ur", "Uz", "Sr", "Sp", "Sz", "Vr", "Vz", "Pr"];

    /// <summary>The page's fields, read one by one, for comparing two pages field by field.</summary>
    static (GuestState, HostState, bool, byte, byte, byte, byte, byte, byte) Fields(PageState p) =>
        (p.G, p.H, p.Dirty, p.Mem(0), p.Mem(1), p.Disk(0), p.Disk(1), p.Want(0), p.Want(1));

    [Fact]
    public void DomainHoldsEveryCombinationOfFieldValuesOnce()
    {
        // g 4 × h 3 × dirty 2 × mem 3² × disk 3² × want 4² (⊥ counts as a value).
        Assert.Equal(4 * 3 * 2 * 9 * 9 * 16, Domain.Length);
        Assert.Equal(Domain.Length, Domain.Select(Fields).Distinct().Count());
    }

    [Fact]
    public void BuildingAPageFieldByFieldReadsBackEveryField()
    {
        foreach (var p in Domain)
        {
            var built = new PageState(0).With(p.GH).WithDirty(p.Dirty)
                .WithMem(0, p.Mem(0)).WithMem(1, p.Mem(1))
                .WithDisk(0, p.Disk(0)).WithDisk(1, p.Disk(1))
                .WithWant(0, p.Want(0)).WithWant(1, p.Want(1));
            Assert.Equal(p, built);
            Assert.True(built.Bits <= PageState.Mask);
        }
    }

    [Fact]
    public void SettingOneFieldChangesThatFieldOnly()
    {
        foreach (var p in Domain)
        {
            var (g, h, d, m0, m1, k0, k1, w0, w1) = Fields(p);
            byte other(byte v, byte max) => (byte)((v + 1) % (max + 1));
            var gh = GuestHostState.FromIndex((p.GH.Index + 5) % GuestHostState.Count);
            Assert.Equal((gh.G, gh.H, d, m0, m1, k0, k1, w0, w1), Fields(p.With(gh)));
            Assert.Equal((g, h, !d, m0, m1, k0, k1, w0, w1), Fields(p.WithDirty(!d)));
            Assert.Equal((g, h, d, other(m0, 2), m1, k0, k1, w0, w1), Fields(p.WithMem(0, other(m0, 2))));
            Assert.Equal((g, h, d, m0, other(m1, 2), k0, k1, w0, w1), Fields(p.WithMem(1, other(m1, 2))));
            Assert.Equal((g, h, d, m0, m1, other(k0, 2), k1, w0, w1), Fields(p.WithDisk(0, other(k0, 2))));
            Assert.Equal((g, h, d, m0, m1, k0, other(k1, 2), w0, w1), Fields(p.WithDisk(1, other(k1, 2))));
            Assert.Equal((g, h, d, m0, m1, k0, k1, other(w0, 3), w1), Fields(p.WithWant(0, other(w0, 3))));
            Assert.Equal((g, h, d, m0, m1, k0, k1, w0, other(w1, 3)), Fields(p.WithWant(1, other(w1, 3))));
        }
    }

    [Fact]
    public void TextFormRoundTripsForEveryPage()
    {
        foreach (var p in Domain)
        {
            Assert.True(PageState.TryParse(p.ToString(), out var back), p.ToString());
            Assert.Equal(p, back);
        }
    }

    [Theory]
    [InlineData("Sr d=1 mem=12 disk=10 want=1⊥", GuestState.Stable, HostState.Resident, true, "12", "10", "1⊥")]
    [InlineData("Vz d=0 mem=00 disk=21 want=⊥0", GuestState.Volatile, HostState.Zero, false, "00", "21", "⊥0")]
    [InlineData("Up d=1 mem=22 disk=00 want=⊥⊥", GuestState.Unused, HostState.Preserved, true, "22", "00", "⊥⊥")]
    public void TextFormNamesEachField(string text, GuestState g, HostState h, bool dirty, string mem, string disk, string want)
    {
        Assert.True(PageState.TryParse(text, out var p));
        static string Cells(Func<int, byte> f) => string.Concat(Enumerable.Range(0, 2).Select(c => f(c) == 3 ? "⊥" : f(c).ToString()));
        Assert.Equal((g, h, dirty, mem, disk, want), (p.G, p.H, p.Dirty, Cells(p.Mem), Cells(p.Disk), Cells(p.Want)));
        Assert.Equal(text, p.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sr d=1 mem=12 disk=10")]                 // a field missing
    [InlineData("Sr d=1 mem=12 disk=10 want=1⊥ extra")]   // a field too many
    [InlineData("Xr d=1 mem=12 disk=10 want=1⊥")]         // no such guest state
    [InlineData("Sq d=1 mem=12 disk=10 want=1⊥")]         // no such host state
    [InlineData("Sr d=2 mem=12 disk=10 want=1⊥")]         // dirty is a bit
    [InlineData("Sr d=1 mem=13 disk=10 want=1⊥")]         // cells hold 0..2
    [InlineData("Sr d=1 mem=12 disk=30 want=1⊥")]
    [InlineData("Sr d=1 mem=1 disk=10 want=1⊥")]          // two cells
    [InlineData("Sr dirty=1 mem=12 disk=10 want=1⊥")]     // field names are fixed
    [InlineData("Sr d=1 disk=10 mem=12 want=1⊥")]         // and so is their order
    public void TextFormRejectsMalformedPages(string text) =>
        Assert.False(PageState.TryParse(text, out _));

    [Fact]
    public void WellFormedIsExactlySPECValidPairsInCanonicalForm()
    {
        int count = 0;
        foreach (var p in Domain)
        {
            bool valid = SpecValidPairs.Contains(p.GH.ToString());
            bool zeroCanonical = p.H != HostState.Zero || (p.Mem(0) == 0 && p.Mem(1) == 0 && !p.Dirty);
            bool preservedCanonical = p.H != HostState.Preserved || !p.Dirty;
            bool expected = valid && zeroCanonical && preservedCanonical;
            Assert.True(expected == p.IsWellFormed, p.ToString());
            if (expected) count++;
        }
        // r: Ur Sr Vr Pr × dirty 2 × mem 9 × disk 9 × want 16; p: Sp, clean; z: Uz Sz Vz, clean, mem 00.
        Assert.Equal(4 * 2 * 81 * 16 + 1 * 81 * 16 + 3 * 9 * 16, count);
    }

    [Theory]
    [InlineData("Sz d=0 mem=10 disk=00 want=⊥⊥")]   // z holds a value
    [InlineData("Vz d=1 mem=00 disk=00 want=⊥⊥")]   // z with a change bit
    [InlineData("Sp d=1 mem=12 disk=00 want=⊥⊥")]   // p with a change bit
    [InlineData("Up d=0 mem=00 disk=00 want=⊥⊥")]   // no Up, Vp, Pp, Pz
    [InlineData("Vp d=0 mem=00 disk=00 want=⊥⊥")]
    [InlineData("Pp d=0 mem=00 disk=00 want=⊥⊥")]
    [InlineData("Pz d=0 mem=00 disk=00 want=⊥⊥")]
    public void NonCanonicalOrInvalidPagesAreNotWellFormed(string text)
    {
        Assert.True(PageState.TryParse(text, out var p));
        Assert.False(p.IsWellFormed);
    }

    [Fact]
    public void InitialIsUzWithZeroDiskAndWantBottom()
    {
        var p = PageState.Initial;
        Assert.Equal("Uz d=0 mem=00 disk=00 want=⊥⊥", p.ToString());
        Assert.Equal((GuestState.Unused, HostState.Zero), (p.G, p.H));
        Assert.Equal((0, 0, PageState.Bottom, PageState.Bottom), (p.Disk(0), p.Disk(1), p.Want(0), p.Want(1)));
        Assert.True(p.IsWellFormed);
    }

    [Theory]
    [InlineData("Sr d=1 mem=12 disk=00 want=⊥⊥", 1, 2)]
    [InlineData("Sp d=0 mem=21 disk=00 want=⊥⊥", 2, 1)]
    [InlineData("Sz d=0 mem=00 disk=12 want=⊥⊥", 0, 0)]
    public void ContentIsMemWhenTheHostHoldsThePageElseZero(string text, int c0, int c1)
    {
        Assert.True(PageState.TryParse(text, out var p));
        Assert.Equal((c0, c1), ((int)p.Content(0), (int)p.Content(1)));
    }

    [Fact]
    public void GuestHostPairsFormatParseAndIndexConsistently()
    {
        string[] all = ["Ur", "Up", "Uz", "Sr", "Sp", "Sz", "Vr", "Vp", "Vz", "Pr", "Pp", "Pz"];
        var parsed = all.Select(GuestHostState.Parse).ToArray();
        Assert.Equal(all, parsed.Select(s => s.ToString()));
        // Index is g*3+h with g in U,S,V,P and h in r,p,z order: the list above, in order.
        Assert.Equal(Enumerable.Range(0, GuestHostState.Count), parsed.Select(s => s.Index));
        Assert.All(parsed, s => Assert.Equal(s, GuestHostState.FromIndex(s.Index)));
        Assert.Equal(all, GuestHostState.All.Select(s => s.ToString()));
        Assert.Equal(SpecValidPairs, GuestHostState.Valid.Select(s => s.ToString()));
        Assert.Equal(SpecValidPairs.Order(), parsed.Where(s => s.IsValid).Select(s => s.ToString()).Order());
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("Srr")]
    [InlineData("sr")]
    [InlineData("Sx")]
    [InlineData("rS")]
    public void GuestHostPairParseRejectsOtherText(string text)
    {
        Assert.False(GuestHostState.TryParse(text, out _));
        var e = Assert.Throws<FormatException>(() => GuestHostState.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
    }
}
