using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>The quotient table on its own: every value added, through every growth, is found, listed and counted,
/// and no other value is found.</summary>
public class QuotientTableTests
{
    /// <summary>Random values; or values in groups of 16 sharing their top 20 bits, whose homes coincide in a small
    /// table and come apart as it grows (the out-of-order case of placing a grown table's values).</summary>
    static HashSet<ulong> Values(bool grouped, int count, int bits)
    {
        var random = new Random(17);
        var values = new HashSet<ulong>();
        ulong low = (1UL << (bits - 20)) - 1;
        while (values.Count < count)
        {
            ulong top = (ulong)random.NextInt64() & Mask(bits);
            if (!grouped) { values.Add(top); continue; }
            for (int i = 0; i < 16; i++) values.Add((top & ~low) | ((ulong)random.NextInt64() & low));
        }
        return values;
    }

    static ulong Mask(int bits) => (1UL << bits) - 1;

    /// <summary>Random or grouped values, of the widest values a table takes and of the narrowest.</summary>
    public static TheoryData<bool, int> Kinds => new()
    {
        { false, QuotientTable.MaxValueBits }, { true, QuotientTable.MaxValueBits }, { false, 32 }, { true, 32 },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryValueAddedThroughGrowthIsFoundAndNoOther(bool grouped, int bits)
    {
        var values = Values(grouped, 300_000, bits);
        var table = new QuotientTable(bits);
        // A broken growth can loop for ever: fail instead of hanging the run.
        var adding = Task.Run(() => values.Count(table.TryAdd));
        Assert.True(adding.Wait(TimeSpan.FromMinutes(2)), "adding the values did not finish");
        Assert.Equal(values.Count, adding.Result);
        Assert.Equal(values.Count, table.Count);
        Assert.All(values, v => Assert.True(table.Contains(v)));
        Assert.All(values, v => Assert.False(table.TryAdd(v)));
        Assert.Equal(values.Order(), table.Values().Order());
        var random = new Random(5);
        for (int i = 0; i < 100_000; i++)
        {
            ulong other = (ulong)random.NextInt64() & Mask(bits);
            Assert.Equal(values.Contains(other), table.Contains(other));
        }
    }

    /// <summary>Values added in batches of very different sizes, the table settled after each: small batches are
    /// placed one by one, large ones merged into a rebuilt table. After every batch each value added is found, counted
    /// and listed once, no other is found, and (for random values, whose distances stay short) the table is exactly as
    /// large as growing at each threshold makes it.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void BatchesOfAnySizeAreSettledIntoTheTableGrowthWouldGive(bool grouped, int bits)
    {
        var values = Values(grouped, 200_000, bits).ToArray();
        var table = new QuotientTable(bits);
        var added = new HashSet<ulong>();
        var random = new Random(3);
        int next = 0;
        foreach (int batch in new[] { 1, 3, 50, 4000, 1, 20_000, 7, 90_000, 2, 60_000 })
        {
            for (int i = 0; i < batch; i++, next++)
            {
                Assert.True(table.TryAdd(values[next]));
                Assert.False(table.TryAdd(values[next]));
                added.Add(values[next]);
            }
            table.Settle();
            Assert.Equal(added.Count, table.Count);
            if (!grouped) Assert.Equal(new QuotientTable(bits).BytesAt(added.Count), table.Bytes);
            Assert.Equal(added.Order(), table.Values().Order());
            for (int i = 0; i < 2_000; i++)
            {
                ulong v = values[random.Next(values.Length)];
                Assert.Equal(added.Contains(v), table.Contains(v));
            }
        }
    }

    /// <summary>A level's merge adds what its look-ups did not find without reading the slots again: each value is
    /// added once, also when a batch so large that the table settles itself comes between its two additions (its
    /// first addition is then in the slots, not waiting).</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void AddingWhatALookUpMissedKeepsEveryValueOnceThroughASettlingOfItsOwn(bool grouped, int bits)
    {
        var values = Values(grouped, 120_000, bits).ToArray();
        var table = new QuotientTable(bits);
        foreach (ulong v in values[..10_000]) table.TryAdd(v);
        table.Settle();
        var level = values[10_000..];
        Assert.All(level, v => Assert.False(table.Contains(v)));
        // The level twice over, as two chunks that found the same states: the second pass meets values that settled.
        Assert.All(level, v => Assert.True(table.TryAddMissing(v)));
        Assert.All(level, v => Assert.False(table.TryAddMissing(v)));
        table.Settle();
        Assert.Equal(values.Length, table.Count);
        Assert.Equal(values.Order(), table.Values().Order());
    }
}
