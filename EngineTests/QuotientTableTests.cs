using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>The quotient table on its own: every value added, through every growth, is found, listed and counted,
/// and no other value is found.</summary>
public class QuotientTableTests
{
    const ulong Mask = (1UL << QuotientTable.ValueBits) - 1;

    /// <summary>Random values; or values in groups of 16 sharing their top 20 bits, whose homes coincide in a small
    /// table and come apart as it grows (the out-of-order case of placing a grown table's values).</summary>
    static HashSet<ulong> Values(bool grouped, int count)
    {
        var random = new Random(17);
        var values = new HashSet<ulong>();
        while (values.Count < count)
        {
            ulong top = (ulong)random.NextInt64() & Mask;
            if (!grouped) { values.Add(top); continue; }
            for (int i = 0; i < 16; i++) values.Add((top & ~((1UL << 38) - 1)) | ((ulong)random.NextInt64() & ((1UL << 38) - 1)));
        }
        return values;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryValueAddedThroughGrowthIsFoundAndNoOther(bool grouped)
    {
        var values = Values(grouped, 300_000);
        var table = new QuotientTable();
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
            ulong other = (ulong)random.NextInt64() & Mask;
            Assert.Equal(values.Contains(other), table.Contains(other));
        }
    }
}
