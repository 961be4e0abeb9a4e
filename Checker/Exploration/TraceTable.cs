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
            rows.Add(Row((i + 1).ToString(), system.ActorName(step.Actor), StepText.Operation(step), StepText.PhaseText(step.Phase),
                step.Page.ToString(), StepText.Result(step), pages.Select(p => p.ToString())));
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
}
