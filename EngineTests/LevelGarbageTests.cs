using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>A search collects its garbage when it allocated more than it may leave uncollected since the last
/// collection, and only then. The bytes allocated are the process's, so these tests run alone: another test's
/// allocations in between would count.</summary>
[Collection(nameof(LevelGarbageTests))]
public class LevelGarbageTests
{
    const long Small = 1 << 20;

    [Fact]
    public void ItCollectsAfterMuchWasAllocatedAndNotAgainUntilMoreIs()
    {
        var garbage = new LevelGarbage();
        Allocate(64 << 20);
        int before = GC.CollectionCount(2);
        garbage.Collect(Small);
        Assert.Equal(1, garbage.Collections);
        Assert.True(GC.CollectionCount(2) > before);
        garbage.Collect(Small); // nothing allocated since
        Assert.Equal(1, garbage.Collections);
        Allocate(64 << 20);
        garbage.Collect(Small);
        Assert.Equal(2, garbage.Collections);
    }

    [Fact]
    public void LittleGarbageIsLeft()
    {
        var garbage = new LevelGarbage();
        Allocate(1 << 20);
        garbage.Collect(Small);
        Assert.Equal(0, garbage.Collections);
    }

    [Fact]
    public void ALargeStoreMayLeaveAnEighthOfItsBytes()
    {
        var garbage = new LevelGarbage();
        Allocate(64 << 20);
        garbage.Collect(1L << 30); // an eighth of 1 GiB is 128 MiB
        Assert.Equal(0, garbage.Collections);
        Allocate(96 << 20);
        garbage.Collect(1L << 30);
        Assert.Equal(1, garbage.Collections);
    }

    /// <summary>Garbage of <paramref name="bytes"/> bytes, in large arrays as a level leaves it.</summary>
    static void Allocate(int bytes)
    {
        for (int i = 0; i < bytes / (1 << 20); i++) GC.KeepAlive(new byte[1 << 20]);
    }
}

/// <summary>Runs <see cref="LevelGarbageTests"/> when no other test runs.</summary>
[CollectionDefinition(nameof(LevelGarbageTests), DisableParallelization = true)]
public class LevelGarbageTestsAlone;
