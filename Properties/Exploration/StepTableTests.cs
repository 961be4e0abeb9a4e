using PageHintVerify.Checker.Exploration;
using Xunit;

namespace PageHintVerify.Properties.Exploration;

/// <summary>The flat step table gives back every group as computed, across chunk boundaries and table growth.</summary>
public class StepTableTests
{
    static StepGroup GroupFor(ulong key)
    {
        // Sizes chosen so that chunks of 4,096 effects fill to the last slot, then an empty group follows.
        int n = (int)(key % 3) switch { 0 => 255, 1 => 1, _ => 0 };
        var effects = Enumerable.Range(0, n).Select(i => new StepEffect(key, (ulong)i, i % 7, i)).ToArray();
        return new StepGroup(n + 1, effects, KeepsLocal: key % 2 == 0);
    }

    [Fact]
    public void EveryGroupReadsBackAsComputed()
    {
        var table = new StepTable(GroupFor);
        var keys = Enumerable.Range(0, 5000).Select(i => (ulong)i * 3 + (ulong)(i % 3)).ToList();
        foreach (var key in keys) table.Get(key);
        Assert.Equal(keys.Count, table.Count);
        foreach (var key in keys)
        {
            var slot = table.Get(key);
            var expected = GroupFor(key);
            Assert.Equal(expected.Steps, slot.Steps);
            Assert.Equal(expected.KeepsLocal, slot.KeepsLocal);
            Assert.Equal(expected.Effects, table.EffectsOf(slot).ToArray());
        }
        Assert.Equal(keys.Order(), table.Entries.Select(e => e.Key));
    }

    [Fact]
    public void AChunkFilledToItsLastSlotIsFollowedByAnEmptyGroupThatStillReads()
    {
        // 16 groups of 255 effects and one of 16 fill a chunk of 4,096 exactly; the empty group after must not point past it.
        var sizes = Enumerable.Repeat(255, 16).Append(16).Append(0).ToArray();
        var table = new StepTable(key => new StepGroup(1, new StepEffect[sizes[(int)key]], true));
        for (ulong k = 0; k < (ulong)sizes.Length; k++) table.Get(k);
        for (ulong k = 0; k < (ulong)sizes.Length; k++) Assert.Equal(sizes[(int)k], table.EffectsOf(table.Get(k)).Length);
    }
}
