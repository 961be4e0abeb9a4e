using PageHintVerify.Model;
using PageHintVerify.PageTable;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>
/// The version that validates an optimistic read must not come back to the value a stalled reader loaded. With a
/// 24-bit version, 2^24 commits during one reader's stall did exactly that, and the read returned unvalidated.
/// </summary>
public class VersionWrapTests
{
    /// <summary>The hardware's memory, but the first optimistic cell load of a thread first runs <see cref="Stall"/>.</summary>
    readonly struct StallingMemory : IMemory
    {
        [ThreadStatic] public static Action? Stall;

        public static ulong Load(ref ulong word) => HardwareMemory.Load(ref word);
        public static ulong CompareExchange(ref ulong word, ulong value, ulong comparand) => HardwareMemory.CompareExchange(ref word, value, comparand);
        public static void Release(ref ulong word, ulong value) => HardwareMemory.Release(ref word, value);
        public static byte ReadCell(ref byte cell) => HardwareMemory.ReadCell(ref cell);
        public static void WriteCell(ref byte cell, byte value) => HardwareMemory.WriteCell(ref cell, value);
        public static void Wait(ref ulong word, ref SpinWait spinner) => HardwareMemory.Wait(ref word, ref spinner);

        public static byte LoadCell(ref byte cell)
        {
            var stall = Stall;
            Stall = null;
            stall?.Invoke();
            return HardwareMemory.LoadCell(ref cell);
        }
    }

    [Fact]
    public void AVersionDoesNotWrapAtTwoToTheTwentyFour()
    {
        var word = new PageWord(PageWord.Of(PageState.Initial.With("Sr")).Bits | ((1ul << 24) - 1) << 8);
        var next = word.Next(word.Abstract);
        Assert.Equal(1ul << 24, next.Version);
        Assert.NotEqual(PageWord.Of(PageState.Initial.With("Sr")).Bits, next.Bits);
        Assert.Equal(1ul << 56, PageWord.VersionBound);
    }

    /// <summary>
    /// A reader stalls between its first load of the word and its cell load while 2^24 writes commit to the page, each
    /// bumping the version once and leaving the abstract word as it was (Sr, dirty). The second load must see that the
    /// word moved, and the read retries; with the old 24-bit version it validated and returned.
    /// </summary>
    [Fact]
    public void AReaderStalledAcrossTwoToTheTwentyFourCommitsRetries()
    {
        const int commits = 1 << 24;
        var start = PageState.Initial.With("Sr").WithDirty(true).WithMem(0, 1);
        var table = new LockFreePageTable<StallingMemory>([start]);
        var loaded = table.Word(0);
        StallingMemory.Stall = () =>
        {
            for (int i = 0; i < commits; i++) table.Write(0, 0, 1);
        };
        var result = table.Read(0, 0);
        Assert.Equal(Outcome.Ok, result.Outcome);
        Assert.Equal(1, result.Value);
        Assert.Equal(loaded.Abstract, table.Word(0).Abstract);
        Assert.Equal(loaded.Version + commits, table.Word(0).Version);
        Assert.Equal(1, table.Contention.ReadRetries);
    }
}
