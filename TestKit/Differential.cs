using FsCheck.Fluent;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.TestKit;

/// <summary>Runs a scenario on a table and on the model side by side; throws at the first step where they differ.</summary>
public static class Differential
{
    public const int Cases = 1000;

    /// <summary>
    /// <see cref="Cases"/> random scenarios, each on a fresh table from <paramref name="create"/> beside the model; a
    /// failure shrinks to a minimal scenario and says which <see cref="FsCheckSeed.Variable"/> replays it.
    /// </summary>
    public static void AssertAgrees(Func<IReadOnlyList<PageState>, PageStateTable> create) =>
        FsCheckSeed.Check(Prop.ForAll(PageTableArbitraries.TableScenarios(), scenario => Run(scenario, create(scenario.Initial))), Cases);

    public static void Run(TableScenario scenario, PageStateTable table)
    {
        var model = (PageState[])scenario.Initial.Clone();
        var disk = model.Select(p => new[] { p.Disk(0), p.Disk(1) }).ToArray();
        for (int i = 0; i < scenario.Steps.Length; i++)
        {
            var (page, op) = scenario.Steps[i];
            byte value = op.Op == Operation.Write ? PageMachine.WriteValue(model[page], op.Cell) : (byte)0;
            var actual = table.Apply(page, op, value, disk[page]);
            var (next, expected) = PageMachine.Apply(Protocol.Reference, model[page], op);
            model[page] = next;
            string? difference = Compare(table, page, disk[page], next, expected, actual);
            if (difference is not null)
                throw new Xunit.Sdk.XunitException($"step {i} ({scenario.Steps[i]}): {difference}; model now {next}");
        }
    }

    static string? Compare(PageStateTable table, int page, byte[] disk, PageState model, OpResult expected, OpResult actual)
    {
        if (actual != expected) return $"returned {actual}, model {expected}";
        var word = table.Word(page);
        if (word.Abstract != PageWord.Of(model)) return $"word {word}, model {PageWord.Of(model)}";
        for (int c = 0; c < PageState.Cells; c++)
        {
            if (model.H != HostState.Zero && table.Cell(page, c) != model.Mem(c)) return $"cell {c} holds {table.Cell(page, c)}";
            if (disk[c] != model.Disk(c)) return $"disk {c} holds {disk[c]}";
        }
        return null;
    }
}
