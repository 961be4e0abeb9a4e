using PageHintVerify.Model;
using PageHintVerify.PageTable;
using Xunit;
using static PageHintVerify.Properties.TableText;

namespace PageHintVerify.Properties;

/// <summary>The tables' front door: named operations, initial states and argument checks.</summary>
public class PageStateTableTests
{
    public static TheoryData<string> Tables => ["lock-free", "locked"];

    static PageStateTable Create(string kind, params PageState[] pages) =>
        kind == "lock-free" ? new LockFreePageTable(pages) : new LockedPageTable(pages);

    [Theory, MemberData(nameof(Tables))]
    public void NamedOperationsAreTheOperationsOfSpec3(string kind)
    {
        var t = Create(kind, Page("Sr d=1 mem=12 disk=00 want=⊥⊥"), Page("Uz d=0 mem=00 disk=21 want=⊥⊥"));
        Assert.Equal(new OpResult("Sr", Outcome.Ok, 2), t.Read(0, 1));
        Assert.Equal(new OpResult("Sr", Outcome.Ok), t.Write(0, 0, 2));
        Assert.Equal(2, t.Cell(0, 0));
        var disk = new byte[2];
        Assert.Equal(new OpResult("Sr", Outcome.Ok), t.Writeback(0, disk));
        Assert.Equal(new byte[] { 2, 2 }, disk);
        Assert.False(t.Word(0).Dirty);
        Assert.Equal(new OpResult("Sr", Outcome.Ok), t.SetVolatile(0, writable: true));
        Assert.Equal("Pr", t.Word(0).GH);
        Assert.Equal(new OpResult("Pr", Outcome.Ok), t.SetVolatile(0, writable: false));
        Assert.Equal(new OpResult("Vr", Outcome.Ok), t.HostReclaim(0));
        Assert.Equal(new OpResult("Vz", Outcome.Failed), t.SetStableIfPresent(0));
        Assert.Equal(new OpResult("Vz", Outcome.Ok), t.SetStable(0));
        Assert.Equal(new OpResult("Sz", Outcome.Ok), t.SetUnused(0));
        Assert.Equal(new OpResult("Uz", Outcome.Ok), t.Reload(1, new byte[] { 2, 1 }));
        Assert.Equal((2, 1), (t.Cell(1, 0), t.Cell(1, 1)));
        Assert.Equal(("Sr", true), (t.Word(1).GH, t.Word(1).Dirty));
        Assert.Equal(2, t.PageCount);
    }

    [Theory, MemberData(nameof(Tables))]
    public void BadArgumentsAreRefused(string kind)
    {
        var t = Create(kind, PageState.Initial);
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Read(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Read(-1, 0));
        Assert.Contains("cell must be 0 or 1", Assert.Throws<ArgumentOutOfRangeException>(() => t.Read(0, 2)).Message);
        Assert.Contains("a cell holds 0, 1 or 2", Assert.Throws<ArgumentOutOfRangeException>(() => t.Write(0, 0, 3)).Message);
        Assert.Contains("two disk cells", Assert.Throws<ArgumentException>(() => t.Writeback(0, new byte[1])).Message);
        Assert.Contains("two disk cells", Assert.Throws<ArgumentException>(() => t.Reload(0, default)).Message);
        Assert.Contains("page 0 is not a well-formed state: Sz d=0 mem=10",
            Assert.Throws<ArgumentException>(() => Create(kind, Page("Sz d=0 mem=10 disk=00 want=⊥⊥"))).Message);
        Assert.Equal(new OpResult("Uz", Outcome.UnusedAccess), t.Write(0, 1, 2));
    }

    [Fact]
    public void ANewTableIsAllUz()
    {
        var t = new LockFreePageTable(3);
        Assert.All(Enumerable.Range(0, 3), p => Assert.Equal(PageWord.Of(PageState.Initial), t.Word(p)));
        Assert.Equal(3, new LockedPageTable(3).PageCount);
        Assert.Equal(PageWord.Of(PageState.Initial), new LockedPageTable(3).Word(2));
    }
}

/// <summary>The lock-free table's waiting and retry paths, driven deterministically.</summary>
public class LockFreePathTests
{
    static readonly ulong PinBit = new PageWord(0).WithPin(true).Bits;

    [Fact]
    public void AnOperationOnAPinnedPageWaitsForTheRelease()
    {
        var table = new LockFreePageTable([PageState.Initial.With("Sr")]);
        ref ulong word = ref table.WordCell(0);
        Interlocked.Or(ref word, PinBit); // as a writer mid-store holds it
        OpResult? result = null;
        var writer = new Thread(() => result = table.Write(0, 1, 2));
        writer.Start();
        var deadline = DateTime.UtcNow.AddSeconds(30); // a hang guard, not a timing assertion
        while (table.Contention.PinWaits == 0 && DateTime.UtcNow < deadline) Thread.Yield();
        Assert.True(table.Contention.PinWaits > 0, "the write never found the page pinned");
        Assert.Null(result);
        Assert.Equal("Sr", table.Word(0).GH);
        Interlocked.And(ref word, ~PinBit);
        Assert.True(writer.Join(TimeSpan.FromSeconds(30)));
        Assert.Equal(new OpResult("Sr", Outcome.Ok), result);
        Assert.Equal((2, true, false), (table.Cell(0, 1), table.Word(0).Dirty, table.Word(0).Pinned));
    }

    [Fact]
    public void ATableRunsTheProtocolItIsGiven()
    {
        var none = new Protocol("no edges", []);
        Assert.Equal(new OpResult("Uz", Outcome.Ok, Gap: false), new LockFreePageTable(1, none).SetStable(0));
        Assert.Equal("Uz", new LockFreePageTable(1, none).Word(0).GH);
        var table = new LockedPageTable(1, none);
        table.SetStable(0);
        Assert.Equal("Uz", table.Word(0).GH);
        var reference = new LockFreePageTable(1);
        reference.SetStable(0);
        Assert.Equal("Sz", reference.Word(0).GH);
    }
}
