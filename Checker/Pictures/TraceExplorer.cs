using System.Net;
using System.Text.Json;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Pictures;

/// <summary>
/// A replayed counterexample as one self-contained HTML page (inline CSS, script and SVG; nothing fetched): the
/// configuration, the violated invariant with its formula, a step list to move through with the keyboard (arrows, j/k,
/// Home/End) or the mouse, every page's fields after the current step with the fields that step changed marked, and
/// the <see cref="SequenceChart"/>. Text from the input is HTML-escaped; the trace is embedded as JSON whose
/// <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> are escaped, so no input can close the script element.
/// </summary>
public static class TraceExplorer
{
    /// <summary>The page fields in display order, as <see cref="PageState.ToString"/> prints them.</summary>
    static readonly string[] Fields = ["g", "h", "d", "mem", "disk", "want"];

    /// <summary>
    /// What <c>check --html DIR</c> does: each violation's shortest trace, replayed as a counterexample file would be,
    /// written as DIR/NAME.html with the name <c>--save</c> would give its file.
    /// </summary>
    public static void WriteAll(string folder, Configuration found, Protocol protocol, IEnumerable<Violation> violations, TextWriter output)
    {
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(folder, $"cannot create: {e.Message}"); }
        foreach (var v in violations)
        {
            var name = Path.ChangeExtension(Counterexample.FileName(found, v.Invariant, v.Trace.Select(t => t.Step)), ".html");
            var path = Path.Combine(folder, name);
            var verdict = CounterexampleReplay.Run(Counterexample.Of(found, v.Invariant, v.Trace, found.ToString(), v.Trace.Count), protocol);
            ReplayCommand.Write(path, w => Write(w, verdict, name));
            output.WriteLine($"{v.Invariant.Id}: trace explorer written to {path}");
        }
    }

    public static void Write(TextWriter w, ReplayVerdict verdict, string? title = null)
    {
        var system = verdict.System;
        var trace = verdict.Replay.Trace;
        var c = verdict.Counterexample;
        int violating = verdict.Reproduces ? trace.Count - 1 : -1;
        title ??= $"{c.Invariant.Id} counterexample";

        var initial = Enumerable.Range(0, system.PageCount).Select(p => system.Page(system.Initial, p)).ToArray();
        var data = new
        {
            fields = Fields,
            violating,
            initial = initial.Select(PageFields),
            steps = trace.Select(t => new { label = Label(system, t), page = t.Step.Page, pages = t.PagesAfter.Select(PageFields) }),
        };
        // The default encoder escapes < > & ' and non-ASCII as \uXXXX: safe inside a script element.
        string json = JsonSerializer.Serialize(data);

        var chart = new StringWriter();
        SequenceChart.Write(chart, verdict, title);

        string kind = c.Invariant.GuestDiscipline ? "guest-discipline property" : "protocol property";
        string verdictText = violating >= 0
            ? $"step {violating + 1} of {trace.Count} violates {c.Invariant.Id}"
            : verdict.Divergence?.ToString() ?? "";

        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        w.WriteLine($"<title>{H(title)}</title>");
        w.WriteLine($"<style>{Style}</style></head>");
        w.WriteLine($"<body data-step=\"0\">");
        w.WriteLine($"<h1>{H(title)}</h1>");
        w.WriteLine($"<p id=\"configuration\"><b>configuration</b> {H(c.Configuration.ToString())}</p>");
        w.WriteLine($"<section id=\"invariant\" class=\"{(violating >= 0 ? "bad" : "diverged")}\">");
        w.WriteLine($"<p><b>{H(c.Invariant.Id)} {H(c.Invariant.Name)}</b> ({H(kind)}, {H(c.Invariant.Kind.ToString().ToLowerInvariant())} invariant)</p>");
        w.WriteLine($"<pre id=\"formula\">{H(c.Invariant.Holds.ToString())}</pre>");
        w.WriteLine($"<p class=\"legend\">{H(Legend)}</p>");
        w.WriteLine($"<p id=\"verdict\">{H(verdictText)}</p>");
        w.WriteLine("</section>");

        w.WriteLine("<main><nav><ol id=\"steps\" start=\"0\">");
        w.WriteLine("<li data-step=\"0\" tabindex=\"-1\">initial state</li>");
        for (int i = 0; i < trace.Count; i++)
            w.WriteLine($"<li data-step=\"{i + 1}\" tabindex=\"-1\"{(i == violating ? " class=\"violating\"" : "")}>{H(Label(system, trace[i]))}{(i == violating ? $" <span class=\"mark\">✖ {H(c.Invariant.Id)}</span>" : "")}</li>");
        w.WriteLine("</ol></nav>");
        w.WriteLine("<div id=\"detail\">");
        w.WriteLine($"<p class=\"controls\"><button id=\"prev\" type=\"button\">◀ prev</button> step <span id=\"current\">0</span> of <span id=\"total\">{trace.Count}</span> <button id=\"next\" type=\"button\">next ▶</button> <span class=\"hint\">keys: ← → ↑ ↓ j k Home End</span></p>");
        w.WriteLine("<p id=\"label\"></p>");
        w.WriteLine("<table id=\"pages\"><thead><tr><th>page</th>" + string.Concat(Fields.Select(f => $"<th>{f}</th>")) + "</tr></thead><tbody>");
        for (int p = 0; p < system.PageCount; p++)
            w.WriteLine($"<tr><th>{p}</th>" + string.Concat(Fields.Select(f => $"<td data-page=\"{p}\" data-field=\"{f}\"></td>")) + "</tr>");
        w.WriteLine("</tbody></table>");
        w.WriteLine("<p class=\"legend\">marked fields changed in this step</p>");
        w.WriteLine("</div></main>");
        w.WriteLine("<section id=\"chart\">");
        w.Write(chart.ToString());
        w.WriteLine("</section>");
        w.WriteLine($"<script type=\"application/json\" id=\"trace\">{json}</script>");
        w.WriteLine($"<script>{Script}</script>");
        w.WriteLine("</body></html>");
    }

    /// <summary>What the formula's numbers mean: the enum values <see cref="Invariants"/> compares with.</summary>
    const string Legend = "g: 0 U, 1 S, 2 V, 3 P · h: 0 r, 1 p, 2 z · want 3 = ⊥ · op and outcome by their number; pre. = before the step";

    /// <summary>A page's fields split from its printed form, so the explorer shows exactly what traces show.</summary>
    static string[] PageFields(PageState page)
    {
        var parts = page.ToString().Split(' ');
        return [parts[0][..1], parts[0][1..], .. parts[1..].Select(part => part[(part.IndexOf('=') + 1)..])];
    }

    static string Label(Interleavings system, TraceStep t) =>
        $"{StepText.Label(system.ActorName(t.Step.Actor), t.Step)}: {StepText.Result(t.Step)}";

    static string H(string text) => WebUtility.HtmlEncode(text);

    const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#1b1b1b}
        h1{font-size:18px;margin:0 0 6px}
        #invariant{border:1px solid #c62828;background:#ffebee;border-radius:6px;padding:4px 12px;margin:8px 0}
        #invariant.diverged{border-color:#ef6c00;background:#fff3e0}
        #formula{white-space:pre-wrap;font:12px monospace;margin:4px 0}
        .legend,.hint{color:#666;font-size:12px}
        main{display:flex;gap:24px;align-items:flex-start}
        nav{max-height:60vh;overflow:auto;border:1px solid #ccc;border-radius:6px}
        #steps{margin:0;padding:4px 8px 4px 40px;font:13px monospace}
        #steps li{cursor:pointer;padding:1px 4px;border-radius:3px}
        #steps li:hover{background:#eceff1}
        #steps li.current{background:#1565c0;color:#fff}
        #steps li.violating{color:#c62828;font-weight:bold}
        #steps li.violating.current{background:#c62828;color:#fff}
        .mark{font-weight:bold}
        #pages{border-collapse:collapse;font:13px monospace}
        #pages th,#pages td{border:1px solid #ccc;padding:2px 10px;text-align:center}
        #pages td.changed{background:#fff59d;font-weight:bold;outline:2px solid #f9a825}
        body.at-violation #detail{outline:2px solid #c62828;border-radius:6px}
        #chart{margin-top:16px;overflow:auto}
        """;

    const string Script = """
        (function () {
          var data = JSON.parse(document.getElementById('trace').textContent);
          var items = document.querySelectorAll('#steps li');
          var last = data.steps.length, at = 0;
          function pagesAt(i) { return i === 0 ? data.initial : data.steps[i - 1].pages; }
          function show(i) {
            at = Math.max(0, Math.min(last, i));
            var now = pagesAt(at), before = pagesAt(Math.max(0, at - 1));
            document.getElementById('current').textContent = at;
            document.body.setAttribute('data-step', at);
            document.body.classList.toggle('at-violation', at === data.violating + 1);
            document.getElementById('label').textContent = at === 0 ? 'initial state' : data.steps[at - 1].label;
            document.querySelectorAll('#pages td').forEach(function (td) {
              var p = +td.getAttribute('data-page'), f = data.fields.indexOf(td.getAttribute('data-field'));
              td.textContent = now[p][f];
              td.classList.toggle('changed', now[p][f] !== before[p][f]);
            });
            items.forEach(function (li, k) { li.classList.toggle('current', k === at); });
            items[at].scrollIntoView({ block: 'nearest' });
          }
          items.forEach(function (li, k) { li.addEventListener('click', function () { show(k); }); });
          document.getElementById('prev').addEventListener('click', function () { show(at - 1); });
          document.getElementById('next').addEventListener('click', function () { show(at + 1); });
          document.addEventListener('keydown', function (e) {
            var moves = { ArrowDown: 1, ArrowRight: 1, j: 1, ArrowUp: -1, ArrowLeft: -1, k: -1 };
            if (e.key in moves) show(at + moves[e.key]);
            else if (e.key === 'Home') show(0);
            else if (e.key === 'End') show(last);
            else return;
            e.preventDefault();
          });
          show(0);
        })();
        """;
}
