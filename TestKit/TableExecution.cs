using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Schedules;

namespace PageHintVerify.TestKit;

/// <summary>A table a schedule runs on: the name a schedule file gives, and how to make it over the scheduler's memory.</summary>
public sealed record ScheduledTable(string Name, Func<IReadOnlyList<PageState>, PageStateTable> Create);

/// <summary>
/// One execution of a scenario on a page table whose memory is scheduled: each thread runs its operations in order, and
/// when all have returned, each page's history must be linearizable against the reference model and end in the
/// table's final state (its word, unpinned, and its cells where the host holds content).
/// </summary>
public sealed class TableExecution : IExecution
{
    readonly ConcurrentScenario _scenario;
    readonly PageStateTable _table;
    readonly OpResult[][] _results;
    readonly (byte, byte)[][] _copied;

    public TableExecution(ConcurrentScenario scenario, Func<IReadOnlyList<PageState>, PageStateTable> table)
    {
        _scenario = scenario;
        _table = table(scenario.Initial);
        _results = scenario.Threads.Select(ops => new OpResult[ops.Length]).ToArray();
        _copied = scenario.Threads.Select(ops => new (byte, byte)[ops.Length]).ToArray();
    }

    /// <summary>The words, one per page, then the cells, <see cref="PageState.Cells"/> per page (<see cref="PageOf"/> reads it back).</summary>
    public void Register(SharedLocations locations)
    {
        var (words, cells) = _table.SharedMemory;
        locations.Add(words, p => $"p{p} word", v => new PageWord(v).ToString());
        locations.Add(cells, i => $"p{i / PageState.Cells} cell {i % PageState.Cells}");
    }

    /// <summary>The page a location registered by <see cref="Register"/> belongs to, on a table of <paramref name="pages"/> pages.</summary>
    public static int PageOf(int location, int pages) => location < pages ? location : (location - pages) / PageState.Cells;

    public void Run(int thread)
    {
        const byte none = HistoryEvent.NotCopied;
        Span<byte> disk = stackalloc byte[PageState.Cells];
        var ops = _scenario.Threads[thread];
        for (int i = 0; i < ops.Length; i++)
        {
            var op = ops[i];
            (disk[0], disk[1]) = op.Op.Op == Operation.Reload ? op.Disk : (none, none);
            Scheduler.BeginOperation(ScenarioText.Format(op));
            var result = _table.Apply(op.Page, op.Op, op.Value, disk);
            _results[thread][i] = result;
            _copied[thread][i] = op.Op.Op == Operation.Writeback ? (disk[0], disk[1]) : (none, none);
            Scheduler.EndOperation(result.Describe(op.Op) + (_copied[thread][i].Item1 != none ? $", copied {disk[0]}{disk[1]}" : ""));
        }
    }

    public string? Check(ExecutionResult execution)
    {
        var history = History(execution);
        for (int page = 0; page < _scenario.Initial.Length; page++)
        {
            var events = history.Where(e => e.Page == page).ToArray();
            if (Linearizability.CheckPage(_table, page, _scenario.Initial[page], events).Problem is { } problem) return problem;
        }
        return null;
    }

    /// <summary>Each operation with its first and last access as its invocation and response times.</summary>
    public List<HistoryEvent> History(ExecutionResult execution)
    {
        var history = new List<HistoryEvent>();
        var next = new int[_scenario.Threads.Length];
        foreach (var span in execution.Operations)
        {
            int t = span.Thread, i = next[t]++;
            var op = _scenario.Threads[t][i];
            history.Add(new HistoryEvent(t, op.Page, op.Op, op.Value, op.Disk, span.FirstEvent, span.LastEvent,
                _results[t][i], _copied[t][i]));
        }
        return history;
    }

    /// <summary>What the execution observably did: every operation's result and each page's final word and cells.</summary>
    public string Outcome() =>
        string.Join("; ", _results.Select((r, t) => $"t{t}: " + string.Join(", ", r.Zip(_copied[t], (x, c) => $"{x} {c}")))) +
        " | " + string.Join("; ", Enumerable.Range(0, _scenario.Initial.Length).Select(p => Linearizability.Final(_table, p)));
}
