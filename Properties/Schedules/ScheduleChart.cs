using PageHintVerify.Checker.Pictures;
using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Schedules;
using PageHintVerify.TestKit;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// An execution of the real table drawn as the checker's sequence chart: a lane per thread, a lane per page, an arrow
/// per shared-memory access (dashed back to the thread for a load, orange for a compare-and-swap that lost), and the
/// page's word and cells after each access.
/// </summary>
public static class ScheduleChart
{
    const string Legend =
        "solid: an access that writes the page · dashed blue: a load · orange: a compare-and-swap that lost · page boxes: the word and cells after the access (yellow: changed)";

    public static Chart Of(string title, IReadOnlyList<PageState> initial, ExecutionResult execution)
    {
        int pages = initial.Count;
        var words = initial.Select(p => PageWord.Of(p).Bits).ToArray();
        var cells = initial.SelectMany(p => Enumerable.Range(0, PageState.Cells).Select(c => (ulong)p.Mem(c))).ToArray();
        string Page(int p) => $"{new PageWord(words[p])} cells {cells[p * PageState.Cells]}{cells[p * PageState.Cells + 1]}";
        var initialText = Enumerable.Range(0, pages).Select(Page).ToArray();

        // Accesses are named by the operation they belong to.
        var operation = new string[execution.Trace.Count];
        foreach (var o in execution.Operations.Where(o => o.FirstEvent >= 0))
            for (int i = o.FirstEvent; i <= (o.LastEvent >= 0 ? o.LastEvent : execution.Trace.Count - 1); i++)
                if (execution.Trace[i].Thread == o.Thread) operation[i] = o.Name;

        var rows = new List<ChartRow>();
        for (int i = 0; i < execution.Trace.Count; i++)
        {
            var e = execution.Trace[i];
            int location = e.Access.Location, page = TableExecution.PageOf(location, pages);
            if (e.Changed)
            {
                if (location < pages) words[location] = e.Written; // a word; past them, the cells (TableExecution.Register)
                else cells[location - pages] = e.Written;
            }
            var kind = e.Access.Kind is AccessKind.Load or AccessKind.LoadCell or AccessKind.ReadCell ? ArrowKind.Load
                : e.Succeeded ? ArrowKind.Act : ArrowKind.Retry;
            string label = $"{operation[i] ?? ""}: {InterleavingTable.Describe(execution.Locations, e)}";
            rows.Add(new ChartRow(e.Thread, page, label, kind, Page(page), e.Changed, Bad: false));
        }
        return new Chart(title, $"schedule {execution.Schedule} ({execution.Schedule.ContextSwitches} context switches)",
            Enumerable.Range(0, execution.Threads).Select(t => $"thread {t}").ToArray(), execution.Threads, initialText,
            rows, $"{execution.Verdict}: {execution.Message}", execution.Failed, Legend);
    }

    public static void Write(string path, string title, IReadOnlyList<PageState> initial, ExecutionResult execution)
    {
        using var w = new StreamWriter(path);
        SequenceChart.Write(w, Of(title, initial, execution));
    }
}
