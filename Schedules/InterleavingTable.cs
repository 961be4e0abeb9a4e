using System.Text;

namespace PageHintVerify.Schedules;

/// <summary>
/// An execution as a table with one column per thread, read top to bottom (as Lincheck prints a failing interleaving):
/// each operation's name where it starts, each of its shared-memory accesses indented below it, and what it returned.
/// </summary>
public static class InterleavingTable
{
    public static string Format(ExecutionResult execution)
    {
        var rows = new List<(int Thread, string Text)>();
        var starts = execution.Operations.Where(o => o.FirstEvent >= 0).ToLookup(o => o.FirstEvent);
        var ends = execution.Operations.Where(o => o.LastEvent >= 0).ToLookup(o => o.LastEvent);
        for (int i = 0; i < execution.Trace.Count; i++)
        {
            var e = execution.Trace[i];
            foreach (var o in starts[i]) rows.Add((o.Thread, o.Name));
            rows.Add((e.Thread, "  " + Describe(execution.Locations, e)));
            foreach (var o in ends[i]) rows.Add((o.Thread, $"  → {o.Result}"));
        }
        int threads = execution.Threads;
        var widths = Enumerable.Range(0, threads)
            .Select(t => Math.Max($"thread {t}".Length, rows.Where(r => r.Thread == t).Select(r => r.Text.Length).DefaultIfEmpty(0).Max()))
            .ToArray();
        var text = new StringBuilder();
        string rule = "+" + string.Join("+", widths.Select(w => new string('-', w + 2))) + "+";
        void Row(int thread, string cell) =>
            text.Append('|').AppendJoin('|', widths.Select((w, t) => $" {(t == thread ? cell : "").PadRight(w)} ")).Append("|\n");
        text.Append(rule).Append('\n');
        text.Append('|').AppendJoin('|', widths.Select((w, t) => $" {$"thread {t}".PadRight(w)} ")).Append("|\n");
        text.Append(rule).Append('\n');
        foreach (var (thread, cell) in rows) Row(thread, cell);
        text.Append(rule).Append('\n');
        return text.ToString();
    }

    /// <summary>One access: <c>load p0 word = Sr d=0 v0</c>, <c>cas p0 word → Sr d=1 pinned v1</c>, <c>write p0 cell 1 := 2</c>.</summary>
    public static string Describe(SharedLocations locations, Event e)
    {
        string where = locations.Name(e.Access.Location);
        string Value(ulong v) => locations.Value(e.Access.Location, v);
        return e.Access.Kind switch
        {
            AccessKind.Load => $"load {where} = {Value(e.Read)}",
            AccessKind.CompareExchange when e.Succeeded => $"cas {where} → {Value(e.Written)}",
            AccessKind.CompareExchange => $"cas {where} → {Value(e.Written)} fails: found {Value(e.Read)}",
            AccessKind.Release => $"store {where} := {Value(e.Written)}",
            AccessKind.LoadCell => $"load {where} = {Value(e.Read)}",
            AccessKind.ReadCell => $"read {where} = {Value(e.Read)}",
            _ => $"write {where} := {Value(e.Written)}",
        };
    }
}
