using FsCheck.Xunit;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.TestKit;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>The packed page word: encoding and decoding round-trip, the version and the pin leave the state alone.</summary>
public class PageWordProperties
{
    static IEnumerable<(GuestHostState GH, bool Dirty)> ValidStates() =>
        from gh in GuestHostState.Valid
        from dirty in new[] { false, true }
        where !dirty || gh.H == HostState.Resident
        select (gh, dirty);

    [Fact]
    public void EncodingIsABijectionOnValidStates()
    {
        var words = new HashSet<PageWord>();
        foreach (var (gh, dirty) in ValidStates())
        {
            var word = PageWord.Of(PageState.Initial.With(gh).WithDirty(dirty));
            Assert.True(words.Add(word), $"{gh} d={dirty} shares its word");
            Assert.Equal((gh, dirty, false, 0u), (word.GH, word.Dirty, word.Pinned, word.Version));
            Assert.Equal(word, word.Abstract);
        }
        Assert.Equal(12, words.Count);
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(PageTableArbitraries)])]
    public void OverAndOfRoundTrip(PageState page, PageState content)
    {
        var word = PageWord.Of(page);
        Assert.Equal(page, word.Over(page));
        var laid = word.Over(content);
        Assert.Equal((page.GH, page.Dirty), (laid.GH, laid.Dirty));
        Assert.Equal(content.With(page.GH).WithDirty(page.Dirty), laid);
        Assert.Equal(word, PageWord.Of(laid));
    }

    [Property(MaxTest = 1000, Arbitrary = [typeof(PageTableArbitraries)])]
    public void VersionAndPinLeaveTheStateAlone(PageState page, PageState desired, long version, bool pin)
    {
        var word = new PageWord(PageWord.Of(page).Bits | ((ulong)version << 8));
        var target = PageWord.Of(desired).WithPin(pin);
        var next = word.Next(target);
        Assert.Equal(target, next.Abstract);
        Assert.Equal((word.Version + 1) & (PageWord.VersionBound - 1), next.Version);
        Assert.Equal(pin, next.Pinned);
        Assert.Equal(word.Bits, word.WithPin(true).WithPin(false).Bits);
        Assert.True(word.WithPin(true).Pinned);
        Assert.Equal(next.WithPin(false), CasAlgorithm.Release(next));
        Assert.Equal(desired.GH, next.GH);
        Assert.Equal(page.GH, word.WithPin(true).GH);
        Assert.Equal((ulong)version & (PageWord.VersionBound - 1), word.WithPin(true).Version);
    }

    [Fact]
    public void WordsPrintTheirStatePinAndVersion()
    {
        var word = PageWord.Of(PageState.Initial.With("Sr").WithDirty(true));
        Assert.Equal("Sr d=1 v0", word.ToString());
        Assert.Equal("Sr d=1 pinned v1", word.Next(word.WithPin(true)).ToString());
        Assert.Equal("Uz d=0 v0", PageWord.Of(PageState.Initial).ToString());
    }
}
