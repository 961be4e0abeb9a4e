using FsCheck.Fluent;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.TestKit;
using Xunit;

namespace PageHintVerify.Properties;

/// <summary>
/// The locked table against the reference model, one step at a time (<see cref="Differential"/>; the lock-free table's
/// run is <see cref="LockFreePageTableConformance"/>'s), and what one thread never does on the lock-free table.
/// </summary>
public class SequentialDifferentialProperties
{
    static void ForAll(Action<TableScenario> check) =>
        FsCheckSeed.Check(Prop.ForAll(PageTableArbitraries.TableScenarios(), check), Differential.Cases);

    [Fact]
    public void LockedTableAgreesWithTheModel() => Differential.AssertAgrees(pages => new LockedPageTable(pages));

    [Fact]
    public void OneThreadNeverRetries() => ForAll(scenario =>
    {
        var table = new LockFreePageTable(scenario.Initial);
        Differential.Run(scenario, table);
        Assert.Equal(default, table.Contention);
    });

    [Fact]
    public void TheGeneratorsReachEveryValidState()
    {
        var seen = new HashSet<GuestHostState>();
        foreach (var scenario in FsCheck.Fluent.Gen.Sample(PageTableArbitraries.Scenario, 200))
            seen.UnionWith(scenario.Initial.Select(p => p.GH));
        Assert.Equal(GuestHostState.Valid.ToHashSet(), seen);
    }
}
