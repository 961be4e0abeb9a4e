using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

public class ShortestPathTests
{
    [Fact]
    public void PetersonEntersItsCriticalSectionInThreeSteps()
    {
        var trace = ShortestPath.To(new Peterson(), s => Mutex.Decode(s).Pc0 == Mutex.Critical)!;
        Assert.Equal(["0:want", "0:yield turn", "0:enter"], trace.Select(t => t.Step));
        Assert.Equal(Mutex.Critical, Mutex.Decode(trace[^1].State).Pc0);
    }

    [Fact]
    public void AStepFilterCanMakeTheGoalUnreachable()
    {
        Assert.Null(ShortestPath.To(new Peterson(), s => Mutex.Decode(s).Pc0 == Mutex.Critical, step => step != "0:enter"));
        // Process 1 alone may still enter.
        Assert.Equal(3, ShortestPath.To(new Peterson(), s => Mutex.Decode(s).Pc1 == Mutex.Critical, step => step != "0:enter")!.Count);
    }

    [Fact]
    public void AGoalMetByTheInitialStateIsAnEmptyPath()
    {
        Assert.Empty(ShortestPath.To(new Counters(2, 3), _ => true)!);
        Assert.Equal(["inc 1", "inc 1"], ShortestPath.To(new Counters(2, 3), s => new Counters(2, 3).Value(s, 1) == 2)!.Select(t => t.Step));
    }
}

public class LimitTests
{
    [Fact]
    public void ALayoutPast127BitsIsRefusedWithTheEngineOwnError()
    {
        var layout = new BitLayout();
        layout.Bits(64);
        layout.Bits(63);
        var e = Assert.Throws<StateSpaceLimitException>(() => layout.Bits(1));
        Assert.Equal(StateSpaceLimit.StateBits, e.Limit);
        Assert.DoesNotContain("--", e.Message);
    }
}
