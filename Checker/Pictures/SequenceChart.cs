using System.Globalization;
using System.Security;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Pictures;

/// <summary>What a row's arrow shows: an action on the page, a load of its state, or a step that lost a race.</summary>
public enum ArrowKind { Act, Load, Retry }

/// <summary>One row of a sequence chart: an arrow between an actor's lane and a page's lane, and the page after it.</summary>
/// <param name="Changed">Whether the page's box is drawn as changed.</param>
/// <param name="Bad">The row that breaks something: drawn red and framed.</param>
public sealed record ChartRow(int Actor, int Page, string Label, ArrowKind Kind, string PageAfter, bool Changed, bool Bad);

/// <summary>
/// A message-sequence chart, whatever its steps come from (a replayed counterexample, a schedule of the real table):
/// actor lanes, the first <paramref name="LeftActors"/> left of the page lanes and the rest right of them.
/// </summary>
/// <param name="Verdict">The line under the chart; <paramref name="VerdictIsBad"/> draws it red, else orange.</param>
public sealed record Chart(
    string Title, string Subtitle, IReadOnlyList<string> Actors, int LeftActors, IReadOnlyList<string> InitialPages,
    IReadOnlyList<ChartRow> Rows, string? Verdict, bool VerdictIsBad, string Legend);

/// <summary>
/// A message-sequence chart as SVG: actor lanes on the left and right, a lane per page in the middle. Each row is an
/// arrow between its actor and its page, labelled; a load reads the page, so its arrow points back at the actor, dashed.
/// The page lane shows the page after each row that touched it. The bad row is drawn red and the verdict named under
/// the chart. <see cref="Of(ReplayVerdict, string?)"/> makes the chart of a replayed counterexample.
/// </summary>
public static class SequenceChart
{
    const double CharWidth = 7.3, RowHeight = 36, Top = 92, Margin = 16, StepColumn = 34;
    const int PageBoxChars = 31;
    const string Red = "#c62828", Ink = "#1b1b1b", Lane = "#9e9e9e", Load = "#1565c0", Retry = "#ef6c00";

    const string ReplayLegend =
        "solid: a step that acts on the page · dashed blue: a load that reads its state word · page boxes: the page after the step (yellow: changed)";

    /// <summary>A replayed counterexample's chart: vCPU lanes left, host lanes right, the violating step red.</summary>
    public static Chart Of(ReplayVerdict verdict, string? title = null)
    {
        var system = verdict.System;
        var trace = verdict.Replay.Trace;
        var c = verdict.Counterexample;
        int violating = verdict.Reproduces ? trace.Count - 1 : -1;
        var rows = trace.Select((t, i) =>
        {
            var step = t.Step;
            var kind = step.Phase == Phase.Load ? ArrowKind.Load : step.Phase == Phase.SwapFails ? ArrowKind.Retry : ArrowKind.Act;
            return new ChartRow(step.Actor, step.Page, Label(t), kind, t.PagesAfter[step.Page].ToString(),
                step.After != step.Before || i == violating, i == violating);
        }).ToArray();
        string? said = violating >= 0 ? $"✖ step {violating + 1} violates {c.Invariant}" : verdict.Divergence?.ToString();
        return new Chart(title ?? $"{c.Invariant.Id} counterexample", c.Configuration.ToString(),
            Enumerable.Range(0, system.ActorCount).Select(system.ActorName).ToArray(), system.Configuration.VcpuCount,
            Enumerable.Range(0, system.PageCount).Select(p => system.Page(system.Initial, p).ToString()).ToArray(),
            rows, said, violating >= 0, ReplayLegend);
    }

    public static void Write(TextWriter w, ReplayVerdict verdict, string? title = null) => Write(w, Of(verdict, title));

    public static void Write(TextWriter w, Chart chart)
    {
        var rows = chart.Rows;
        int actors = chart.Actors.Count, left = chart.LeftActors, right = actors - left, pages = chart.InitialPages.Count;

        double boxWidth = PageBoxChars * CharWidth + 12;
        double Span(bool onRight) => Math.Max(150, rows.Where(r => r.Actor >= left == onRight).Select(r => r.Label.Length)
            .DefaultIfEmpty(0).Max() * CharWidth + 48);
        double leftSpan = Span(false), rightSpan = Span(true);

        var x = new double[actors];
        double leftEdge = Margin + StepColumn + 40;
        for (int a = 0; a < left; a++) x[a] = leftEdge + a * 90;
        double firstPage = (left == 0 ? leftEdge : x[left - 1]) + leftSpan + boxWidth / 2;
        var pageX = Enumerable.Range(0, pages).Select(p => firstPage + p * (boxWidth + 24)).ToArray();
        double lastPageEdge = pageX[^1] + boxWidth / 2;
        for (int h = 0; h < right; h++) x[left + h] = lastPageEdge + rightSpan + h * 90;
        double width = Math.Max(right == 0 ? lastPageEdge + 40 : x[^1] + 50, 640);
        double bottom = Top + (rows.Count + 1) * RowHeight;
        double height = bottom + 66;

        w.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">");
        w.WriteLine("  <defs>");
        foreach (var (id, color) in new[] { ("ink", Ink), ("red", Red), ("load", Load), ("retry", Retry) })
            w.WriteLine($"    <marker id=\"arrow-{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{color}\"/></marker>");
        w.WriteLine("  </defs>");
        w.WriteLine($"  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        w.WriteLine($"  <text x=\"{Margin}\" y=\"22\" font-size=\"14\" font-weight=\"bold\" fill=\"{Ink}\">{X(chart.Title)}</text>");
        w.WriteLine($"  <text x=\"{Margin}\" y=\"40\" fill=\"#555\">{X(chart.Subtitle)}</text>");

        // Lanes: a heading box and a vertical line for every actor and page.
        for (int a = 0; a < actors; a++) Heading(w, x[a], chart.Actors[a], 70);
        for (int p = 0; p < pages; p++) Heading(w, pageX[p], $"page {p}", boxWidth);
        foreach (var lx in x.Concat(pageX))
            w.WriteLine($"  <line x1=\"{N(lx)}\" y1=\"{N(Top - 20)}\" x2=\"{N(lx)}\" y2=\"{N(bottom)}\" stroke=\"{Lane}\" stroke-dasharray=\"4 4\"/>");

        // The initial pages.
        w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(Top + 4)}\" fill=\"#555\">init</text>");
        for (int p = 0; p < pages; p++) PageBox(w, pageX[p], Top, boxWidth, chart.InitialPages[p], "#f5f5f5", Lane, Ink);

        int badRow = -1;
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            double y = Top + (i + 1) * RowHeight;
            bool bad = row.Bad;
            if (bad) badRow = i;
            double ax = x[row.Actor], px = pageX[row.Page];
            double edge = ax < px ? px - boxWidth / 2 : px + boxWidth / 2;
            bool load = row.Kind == ArrowKind.Load;
            var (color, marker) = bad ? (Red, "red") : load ? (Load, "load") : row.Kind == ArrowKind.Retry ? (Retry, "retry") : (Ink, "ink");
            w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(y + 4)}\" fill=\"{(bad ? Red : "#555")}\">{i + 1}</text>");
            var (from, to) = load ? (edge, ax) : (ax, edge);
            w.WriteLine($"  <line x1=\"{N(from)}\" y1=\"{N(y)}\" x2=\"{N(to)}\" y2=\"{N(y)}\" stroke=\"{color}\" stroke-width=\"{(bad ? 2.2 : 1.3)}\"{(load ? " stroke-dasharray=\"5 3\"" : "")} marker-end=\"url(#arrow-{marker})\"/>");
            bool toTheRight = ax < px;
            double tx = toTheRight ? ax + 8 : ax - 8;
            w.WriteLine($"  <text x=\"{N(tx)}\" y=\"{N(y - 5)}\" text-anchor=\"{(toTheRight ? "start" : "end")}\" fill=\"{color}\"{(bad ? " font-weight=\"bold\"" : "")}>{X(row.Label)}</text>");
            bool changed = row.Changed;
            PageBox(w, px, y, boxWidth, row.PageAfter,
                bad ? "#ffebee" : changed ? "#fff8e1" : "white", bad ? Red : changed ? "#f9a825" : "#e0e0e0", changed ? Ink : "#9e9e9e");
        }

        if (chart.Verdict is { } verdict)
            w.WriteLine(chart.VerdictIsBad
                ? $"  <text x=\"{Margin}\" y=\"{N(bottom + 30)}\" fill=\"{Red}\" font-weight=\"bold\">{X(verdict)}</text>"
                : $"  <text x=\"{Margin}\" y=\"{N(bottom + 30)}\" fill=\"{Retry}\">{X(verdict)}</text>");
        if (badRow >= 0)
        {
            double y = Top + (badRow + 1) * RowHeight;
            w.WriteLine($"  <rect x=\"{Margin - 6}\" y=\"{N(y - RowHeight / 2 - 2)}\" width=\"{N(width - 2 * Margin + 12)}\" height=\"{N(RowHeight + 2)}\" fill=\"none\" stroke=\"{Red}\" stroke-width=\"1.5\" rx=\"6\"/>");
        }
        w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(bottom + 50)}\" fill=\"#777\" font-size=\"11\">{X(chart.Legend)}</text>");
        w.WriteLine("</svg>");
    }

    /// <summary>The arrow's label: operation, phase and result, as the trace table has them.</summary>
    static string Label(TraceStep t)
    {
        return $"{StepText.Action(t.Step)}: {StepText.Result(t.Step)}";
    }

    static void Heading(TextWriter w, double cx, string text, double boxWidth)
    {
        w.WriteLine($"  <rect x=\"{N(cx - boxWidth / 2)}\" y=\"52\" width=\"{N(boxWidth)}\" height=\"22\" rx=\"4\" fill=\"#eceff1\" stroke=\"#607d8b\"/>");
        w.WriteLine($"  <text x=\"{N(cx)}\" y=\"67\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"{Ink}\">{X(text)}</text>");
    }

    static void PageBox(TextWriter w, double cx, double cy, double boxWidth, string text, string fill, string stroke, string ink)
    {
        w.WriteLine($"  <rect x=\"{N(cx - boxWidth / 2)}\" y=\"{N(cy - 11)}\" width=\"{N(boxWidth)}\" height=\"22\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"/>");
        w.WriteLine($"  <text x=\"{N(cx)}\" y=\"{N(cy + 4)}\" text-anchor=\"middle\" fill=\"{ink}\">{X(text)}</text>");
    }

    static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
    static string X(string text) => SecurityElement.Escape(text);
}
