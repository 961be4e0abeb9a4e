using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>Writes a violation's trace as an aligned table: step, actor, operation, phase, page, result, every page after.</summary>
public static class TraceTable
{
    public static void Write(TextWriter w, Interleavings system, Violation v)
    {
        string kind = v.Invariant.GuestDiscipline ? "guest-discipline property" : "protocol property";
        w.WriteLine($"{v.Invariant.Id} violated: {v.Invariant.Name} ({kind}, {v.Invariant.Kind.ToString().ToLowerInvariant()} invariant)");
        w.WriteLine($"shortest trace, {v.Trace.Count} step{(v.Trace.Count == 1 ? "" : "s")}:");
        var rows = new List<string[]>
        {
            Row("step", "actor", "operation", "phase", "page", "result", Enumerable.Range(0, system.PageCount).Select(p => $"page {p} after")),
            Row("0", "", "initial", "", "", "", Enumerable.Range(0, system.PageCount).Select(p => system.Page(system.Initial, p).ToString())),
        };
        for (int i = 0; i < v.Trace.Count; i++)
        {
            var (step, pages) = (v.Trace[i].Step, v.Trace[i].PagesAfter);
            rows.Add(Row((i + 1).ToString(), system.ActorName(step.Actor), OperationText(step), PhaseText(step.Phase),
                step.Page.ToString(), ResultText(step), pages.Select(p => p.ToString())));
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        for (int r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].Select((cell, c) => c == 0 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            string marker = r == rows.Count - 1 && r > 1 ? "  ◀ " + v.Invariant.Id : "";
            w.WriteLine(("  " + string.Join("  ", cells)).TrimEnd() + marker);
        }
    }

    static string[] Row(string step, string actor, string op, string phase, string page, string result, IEnumerable<string> pages) =>
        [step, actor, op, phase, page, result, .. pages];

    public static string OperationText(Step step) =>
        step.Op.Op == Operation.HostReclaim ? HostActions.For(step.Before.G).Name() : step.Op.ToString();

    public static string PhaseText(Phase phase) => phase switch
    {
        Phase.Whole => "",
        Phase.Load or Phase.LoadReturns => "load",
        Phase.Commit => "store",
        Phase.Retry => "swap fails",
        Phase.StoreData => "store data",
        Phase.Swap => "swap",
        Phase.ReadCell => "read cell",
        Phase.LoadAgain or Phase.ReadRetry => "load again",
        Phase.ZeroFill => "zero-fill",
        Phase.CopyToDisk => "copy to disk",
        Phase.CopyFromDisk => "copy from disk",
        _ => "release",
    };

    public static string ResultText(Step step) => step.Phase switch
    {
        Phase.Load => $"sees {step.Result.Old}",
        Phase.Retry or Phase.ReadRetry => "word changed",
        Phase.StoreData => $"stores {step.After.Want(step.Op.Cell)}",
        Phase.ReadCell => $"sees {step.Result.Value}",
        Phase.ZeroFill or Phase.CopyToDisk or Phase.CopyFromDisk or Phase.Release => "",
        _ => step.Result.Describe(step.Op),
    };
}
