using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.TestKit;

/// <summary>One operation a thread ran on one page: its arguments, what it returned and when (a global clock).</summary>
/// <param name="Value">What a write stored.</param>
/// <param name="Disk">Reload's disk cells; unused for the other operations.</param>
/// <param name="Copied">What writeback copied to the guest's disk, or <see cref="NotCopied"/> in both cells.</param>
public sealed record HistoryEvent(int Thread, int Page, PageOp Op, byte Value, (byte, byte) Disk,
    long Invoked, long Returned, OpResult Result, (byte, byte) Copied)
{
    public const byte NotCopied = 3;

    public override string ToString() =>
        $"t{Thread} [{Invoked},{Returned}] {Op}{(Op.Op == Operation.Write ? $"={Value}" : "")}" +
        $"{(Op.Op == Operation.Reload ? $" disk={Disk}" : "")} -> {Result.Describe(Op)}" +
        $"{(Copied.Item1 != NotCopied ? $" copied {Copied}" : "")}";
}

/// <summary>What a linearizability check found: a linearization, none, or no answer within its budget.</summary>
public enum Linearization { Found, None, Undecided }

/// <summary>
/// Wing &amp; Gong's linearizability check with memoization (as in Porcupine): is there an order of a page's operations,
/// consistent with real time, in which the reference model returns exactly what each operation returned? With
/// <c>end</c>, the order must also end in a page state it accepts (the table's final state). The search is exponential
/// in the number of concurrent operations; past <c>budget</c> explored nodes it stops and answers
/// <see cref="Linearization.Undecided"/>, which is neither a pass nor a failure.
/// </summary>
public static class Linearizability
{
    /// <summary>g, h, change bit and the cells: all a page's future results depend on (disk and want are ghosts here).</summary>
    const uint ObservableBits = (1u << 9) - 1;

    public static Linearization Check(PageState initial, IReadOnlyList<HistoryEvent> history, Func<PageState, bool>? end = null,
        long budget = long.MaxValue)
    {
        if (history.Count > 30) throw new ArgumentException("at most 30 operations per page", nameof(history));
        var dead = new HashSet<long>();
        long nodes = 0;
        bool found = Search(0, initial);
        return found ? Linearization.Found : nodes > budget ? Linearization.Undecided : Linearization.None;

        bool Search(int done, PageState state)
        {
            int all = (1 << history.Count) - 1;
            if (done == all) return end?.Invoke(state) ?? true;
            if (++nodes > budget || !dead.Add(((long)done << 32) | (state.Bits & ObservableBits))) return false;
            long firstReturn = long.MaxValue;
            for (int i = 0; i < history.Count; i++)
                if ((done & (1 << i)) == 0) firstReturn = Math.Min(firstReturn, history[i].Returned);
            for (int i = 0; i < history.Count && nodes <= budget; i++)
            {
                // Only an operation invoked before every pending one returned can take effect next.
                if ((done & (1 << i)) != 0 || history[i].Invoked > firstReturn) continue;
                var (next, result, copied) = Step(state, history[i]);
                if (result == history[i].Result && copied == history[i].Copied && Search(done | (1 << i), next)) return true;
            }
            return false;
        }
    }

    /// <summary>
    /// One page's history on a quiescent table: linearizable, and by an order that ends in the table's final state
    /// (<see cref="Ends"/>). Returns the verdict and, when there is none, what is wrong.
    /// </summary>
    public static (Linearization Verdict, string? Problem) CheckPage(PageStateTable table, int page, PageState initial,
        IReadOnlyList<HistoryEvent> events, long budget = long.MaxValue)
    {
        var results = Check(initial, events, budget: budget);
        if (results != Linearization.Found)
            return (results, results == Linearization.None ? $"page {page}: the results are not linearizable" : null);
        var ending = Check(initial, events, model => Ends(table, page, model), budget);
        return (ending, ending == Linearization.None
            ? $"page {page}: the table ends {Final(table, page)}, which no linearization ends in" : null);
    }

    /// <summary>Whether the table's page is <paramref name="model"/>: its word, unpinned, and its cells where the host holds content.</summary>
    public static bool Ends(PageStateTable table, int page, PageState model)
    {
        // The abstract word keeps the pin, so a page left pinned ends in no model state.
        if (table.Word(page).Abstract != PageWord.Of(model)) return false;
        return model.H == HostState.Zero ||
               Enumerable.Range(0, PageState.Cells).All(c => table.Cell(page, c) == model.Mem(c));
    }

    /// <summary>The table's page as it is now: its word and cells.</summary>
    public static string Final(PageStateTable table, int page)
    {
        var w = table.Word(page);
        return $"{w.GH} d={(w.Dirty ? 1 : 0)}{(w.Pinned ? " pinned" : "")} cells {table.Cell(page, 0)}{table.Cell(page, 1)}";
    }

    /// <summary>The model's answer to one event: a write stores the value it was given, reload reads the disk it was given.</summary>
    public static (PageState Next, OpResult Result, (byte, byte) Copied) Step(PageState s, HistoryEvent e)
    {
        const byte none = HistoryEvent.NotCopied;
        switch (e.Op.Op)
        {
            case Operation.Write:
                var (moved, result) = PageMachine.Begin(Protocol.Reference, s, e.Op);
                return (result.Outcome == Outcome.Ok ? moved.WithMem(e.Op.Cell, e.Value) : moved, result, (none, none));
            case Operation.Reload:
                var (reloaded, r) = PageMachine.Apply(Protocol.Reference, s.WithDisk(0, e.Disk.Item1).WithDisk(1, e.Disk.Item2), e.Op);
                return (reloaded, r, (none, none));
            case Operation.Writeback:
                var (next, wb) = PageMachine.Apply(Protocol.Reference, s, e.Op);
                bool copies = wb.Outcome == Outcome.Ok && PageMachine.WritebackCopies(next.G);
                return (next, wb, copies ? (next.Disk(0), next.Disk(1)) : (none, none));
            default:
                var (n, other) = PageMachine.Apply(Protocol.Reference, s, e.Op);
                return (n, other, (none, none));
        }
    }
}
