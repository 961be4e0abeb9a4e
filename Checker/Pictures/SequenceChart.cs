using System.Globalization;
using System.Security;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Pictures;

/// <summary>
/// A replayed counterexample as an SVG message-sequence chart: vCPU lanes on the left, a lane per page in the middle,
/// host lanes on the right. Each step is an arrow between its actor and its page, labelled with the operation, phase
/// and result; a load reads the page, so its arrow points back at the actor, dashed. The page lane shows the page after
/// each step that touched it. The violating step is drawn red and named under the chart.
/// </summary>
public static class SequenceChart
{
    const double CharWidth = 7.3, RowHeight = 36, Top = 92, Margin = 16, StepColumn = 34;
    const int PageBoxChars = 31;
    const string Red = "#c62828", Ink = "#1b1b1b", Lane = "#9e9e9e", Load = "#1565c0", Retry = "#ef6c00";

    public static void Write(TextWriter w, ReplayVerdict verdict, string? title = null)
    {
        var system = verdict.System;
        var trace = verdict.Replay.Trace;
        var c = verdict.Counterexample;
        int vcpus = system.Configuration.VcpuCount, hosts = system.ActorCount - vcpus, pages = system.PageCount;

        double boxWidth = PageBoxChars * CharWidth + 12;
        double Span(bool host) => Math.Max(150, trace.Where(t => t.Step.Op.IsGuest != host).Select(t => Label(system, t).Length)
            .DefaultIfEmpty(0).Max() * CharWidth + 48);
        double guestSpan = Span(false), hostSpan = Span(true);

        var x = new double[system.ActorCount];
        double left = Margin + StepColumn + 40;
        for (int v = 0; v < vcpus; v++) x[v] = left + v * 90;
        double firstPage = (vcpus == 0 ? left : x[vcpus - 1]) + guestSpan + boxWidth / 2;
        var pageX = Enumerable.Range(0, pages).Select(p => firstPage + p * (boxWidth + 24)).ToArray();
        double lastPageEdge = pageX[^1] + boxWidth / 2;
        for (int h = 0; h < hosts; h++) x[vcpus + h] = lastPageEdge + hostSpan + h * 90;
        double width = Math.Max(hosts == 0 ? lastPageEdge + 40 : x[^1] + 50, 640);
        double bottom = Top + (trace.Count + 1) * RowHeight;
        double height = bottom + 66;

        w.WriteLine($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">");
        w.WriteLine("  <defs>");
        foreach (var (id, color) in new[] { ("ink", Ink), ("red", Red), ("load", Load), ("retry", Retry) })
            w.WriteLine($"    <marker id=\"arrow-{id}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{color}\"/></marker>");
        w.WriteLine("  </defs>");
        w.WriteLine($"  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        w.WriteLine($"  <text x=\"{Margin}\" y=\"22\" font-size=\"14\" font-weight=\"bold\" fill=\"{Ink}\">{X(title ?? $"{c.Invariant.Id} counterexample")}</text>");
        w.WriteLine($"  <text x=\"{Margin}\" y=\"40\" fill=\"#555\">{X(c.Configuration.ToString())}</text>");

        // Lanes: a heading box and a vertical line for every actor and page.
        for (int a = 0; a < system.ActorCount; a++) Heading(w, x[a], system.ActorName(a), 70);
        for (int p = 0; p < pages; p++) Heading(w, pageX[p], $"page {p}", boxWidth);
        foreach (var lx in x.Concat(pageX))
            w.WriteLine($"  <line x1=\"{N(lx)}\" y1=\"{N(Top - 20)}\" x2=\"{N(lx)}\" y2=\"{N(bottom)}\" stroke=\"{Lane}\" stroke-dasharray=\"4 4\"/>");

        // The initial pages.
        w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(Top + 4)}\" fill=\"#555\">init</text>");
        for (int p = 0; p < pages; p++) PageBox(w, pageX[p], Top, boxWidth, system.Page(system.Initial, p).ToString(), "#f5f5f5", Lane, Ink);

        int violating = verdict.Reproduces ? trace.Count - 1 : -1;
        for (int i = 0; i < trace.Count; i++)
        {
            var step = trace[i].Step;
            double y = Top + (i + 1) * RowHeight;
            bool bad = i == violating;
            double ax = x[step.Actor], px = pageX[step.Page];
            double edge = ax < px ? px - boxWidth / 2 : px + boxWidth / 2;
            bool load = step.Phase == Phase.Load;
            var (color, marker) = bad ? (Red, "red") : load ? (Load, "load") : step.Phase == Phase.Retry ? (Retry, "retry") : (Ink, "ink");
            w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(y + 4)}\" fill=\"{(bad ? Red : "#555")}\">{i + 1}</text>");
            var (from, to) = load ? (edge, ax) : (ax, edge);
            w.WriteLine($"  <line x1=\"{N(from)}\" y1=\"{N(y)}\" x2=\"{N(to)}\" y2=\"{N(y)}\" stroke=\"{color}\" stroke-width=\"{(bad ? 2.2 : 1.3)}\"{(load ? " stroke-dasharray=\"5 3\"" : "")} marker-end=\"url(#arrow-{marker})\"/>");
            bool guest = ax < px;
            double tx = guest ? ax + 8 : ax - 8;
            w.WriteLine($"  <text x=\"{N(tx)}\" y=\"{N(y - 5)}\" text-anchor=\"{(guest ? "start" : "end")}\" fill=\"{color}\"{(bad ? " font-weight=\"bold\"" : "")}>{X(Label(system, trace[i]))}</text>");
            bool changed = step.After != step.Before || bad;
            PageBox(w, px, y, boxWidth, trace[i].PagesAfter[step.Page].ToString(),
                bad ? "#ffebee" : changed ? "#fff8e1" : "white", bad ? Red : changed ? "#f9a825" : "#e0e0e0", changed ? Ink : "#9e9e9e");
        }

        if (violating >= 0)
        {
            double y = Top + (violating + 1) * RowHeight;
            w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(bottom + 30)}\" fill=\"{Red}\" font-weight=\"bold\">✖ step {violating + 1} violates {X(c.Invariant.ToString())}</text>");
            w.WriteLine($"  <rect x=\"{Margin - 6}\" y=\"{N(y - RowHeight / 2 - 2)}\" width=\"{N(width - 2 * Margin + 12)}\" height=\"{N(RowHeight + 2)}\" fill=\"none\" stroke=\"{Red}\" stroke-width=\"1.5\" rx=\"6\"/>");
        }
        else if (verdict.Divergence is { } d)
            w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(bottom + 30)}\" fill=\"{Retry}\">{X(d.ToString())}</text>");
        w.WriteLine($"  <text x=\"{Margin}\" y=\"{N(bottom + 50)}\" fill=\"#777\" font-size=\"11\">solid: a step that acts on the page · dashed blue: a load that reads its state word · page boxes: the page after the step (yellow: changed)</text>");
        w.WriteLine("</svg>");
    }

    /// <summary>The arrow's label: operation, phase and result, as the trace table has them.</summary>
    static string Label(Interleavings system, TraceStep t)
    {
        string phase = TraceTable.PhaseText(t.Step.Phase);
        return $"{TraceTable.OperationText(t.Step)}{(phase.Length > 0 ? " " + phase : "")}: {TraceTable.ResultText(t.Step)}";
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
