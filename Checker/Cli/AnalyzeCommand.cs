using PageHintVerify.Checker.Analysis;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint analyze</c>: prints a <see cref="ProtocolAnalysis"/> of each variant against the reference table.</summary>
public sealed class AnalyzeCommand : ICommand
{
    public string Name => "analyze";
    public string Summary => "compare protocol graphs with the reference table";
    public string Help =>
        """
        usage: pagehint analyze [VARIANT|FILE...] [--json]

        For each variant (reference, graph1, graph2, or a text file holding a Graphviz digraph) prints, against the
        reference table of SPEC section 3: the states reachable from Uz and the unreachable ones, valid states no edge
        touches, the gaps (no edge: treated as no change) and what the reference does there, edges that differ from
        the reference, edges only the graph has, edges only the reference has, and nondeterministic edges.
        With no argument: reference, graph1 and graph2. --json writes one JSON document instead (docs/json.md).
        Exit code 0: every graph equals the reference table (same edges, no gaps, deterministic); 1: some graph differs
        from it, has gaps or has nondeterministic pairs; 2: a usage error or unreadable input.
        """;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool json = args.Flag("--json");
        var names = args.Positional.Count > 0 ? args.Positional : Variants.Names.ToArray();
        args.RejectUnknown();
        // Load everything first: a malformed file ends in one error line, not after a partial report.
        var analyses = names.Select(Variants.Resolve).Select(p => ProtocolAnalysis.Of(p, Protocol.Reference)).ToArray();
        bool equal = analyses.All(EqualsReference);
        int exit = equal ? CommandLine.Ok : CommandLine.ViolationFound;
        if (json)
            return JsonReport.Write(output, this, equal ? "equal" : "differs", exit, clock, w =>
            {
                w.WriteStartArray("variants");
                foreach (var a in analyses) WriteJson(w, a);
                w.WriteEndArray();
            });
        for (int i = 0; i < analyses.Length; i++)
        {
            if (i > 0) output.WriteLine();
            Write(analyses[i], output);
        }
        return exit;
    }

    /// <summary>Whether a graph is the reference table: no edge differs, no gap, no nondeterministic pair.</summary>
    static bool EqualsReference(ProtocolAnalysis a) => a.Differences.Count == 0 && a.Gaps.Count == 0 && a.Nondeterministic.Count == 0;

    static void WriteJson(System.Text.Json.Utf8JsonWriter w, ProtocolAnalysis a)
    {
        w.WriteStartObject();
        w.WriteString("name", a.Name);
        w.WriteBoolean("equalsReference", EqualsReference(a));
        JsonReport.WriteStrings(w, "reachable", a.Reachable.Cast<object>());
        JsonReport.WriteStrings(w, "unreachable", a.Unreachable.Cast<object>());
        JsonReport.WriteStrings(w, "absent", a.Absent.Cast<object>());
        w.WriteStartArray("gaps");
        foreach (var g in a.Gaps)
        {
            w.WriteStartObject();
            w.WriteString("state", g.State.ToString());
            w.WriteString("operation", Op(g.State, g.Op, DirtyCondition.Any));
            WriteTarget(w, "reference", g.Reference);
            w.WriteBoolean("sameAsReference", g.SameAsReference);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("differences");
        foreach (var d in a.Differences)
        {
            w.WriteStartObject();
            w.WriteString("kind", d.Kind switch { EdgeComparison.Differs => "differs", EdgeComparison.GraphOnly => "graph-only", _ => "reference-only" });
            w.WriteString("state", d.State.ToString());
            w.WriteString("operation", Op(d.State, d.Op, d.When));
            WriteTarget(w, "graph", d.Graph);
            WriteTarget(w, "reference", d.Reference);
            if (d.Edge is { } e) w.WriteString("source", Where(e)); else w.WriteNull("source");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("nondeterministic");
        foreach (var c in a.Nondeterministic)
        {
            w.WriteStartObject();
            w.WriteString("state", c.State.ToString());
            w.WriteString("operation", Op(c.State, c.Op, DirtyCondition.Any));
            JsonReport.WriteStrings(w, "targets", c.Edges.Select(e => (object)e.To));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    static void WriteTarget(System.Text.Json.Utf8JsonWriter w, string name, GuestHostState? target)
    {
        if (target is { } t) w.WriteString(name, t.ToString()); else w.WriteNull(name);
    }

    static void Write(ProtocolAnalysis a, TextWriter o)
    {
        o.WriteLine($"== {a.Name}");
        var summary = new List<string[]>
        {
            new[] { "reachable from Uz", States(a.Reachable) },
            new[] { "unreachable", States(a.Unreachable) },
            new[] { "valid states absent", States(a.Absent) },
        };
        foreach (var line in Aligned(summary)) o.WriteLine("  " + line);

        Section(o, "gaps, treated as no change", a.Gaps.Select(g => new[]
        {
            g.State.ToString(), Op(g.State, g.Op, DirtyCondition.Any), $"stays {g.State}",
            g.SameAsReference ? "same as reference" : "reference " + Target(g.State, g.Reference),
        }));
        Section(o, "differ from the reference", Rows(a.OfKind(EdgeComparison.Differs)));
        Section(o, "only in the graph", Rows(a.OfKind(EdgeComparison.GraphOnly)));
        Section(o, "only in the reference (gaps aside)", Rows(a.OfKind(EdgeComparison.ReferenceOnly)));
        Section(o, "nondeterministic (every target is explored)", a.Nondeterministic.Select(c => new[]
        {
            c.State.ToString(), Op(c.State, c.Op, DirtyCondition.Any),
            string.Join(" or ", c.Edges.Select(e => $"{Target(e.From, e.To)}{(e.When == DirtyCondition.Any ? "" : $" ({e.When.ToString().ToLowerInvariant()})")} {Where(e)}")),
        }));
    }

    static IEnumerable<string[]> Rows(IEnumerable<EdgeDifference> differences) => differences.Select(d => new[]
    {
        d.State.ToString(), Op(d.State, d.Op, d.When), "graph " + Target(d.State, d.Graph),
        "reference " + Target(d.State, d.Reference), d.Edge is { } e ? Where(e) : "",
    });

    static void Section(TextWriter o, string title, IEnumerable<string[]> rows)
    {
        var lines = Aligned(rows.ToList());
        o.WriteLine(lines.Count == 0 ? $"  {title}: none" : $"  {title}: {lines.Count}");
        foreach (var line in lines) o.WriteLine("    " + line);
    }

    /// <summary>Pads every column but the last to its widest cell.</summary>
    static List<string> Aligned(List<string[]> rows)
    {
        int columns = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        return rows.Select(r => string.Join("  ", r.Select((cell, c) => c == r.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd())
            .ToList();
    }

    static string States(IReadOnlyList<GuestHostState> states) =>
        states.Count == 0 ? "none" : string.Join(" ", states.Select(s => s.IsValid ? s.ToString() : $"{s}(invalid)"));

    /// <summary>The operation as SPEC section 3 names it; a host reclaim by the action it is in that state.</summary>
    static string Op(GuestHostState from, Operation op, DirtyCondition when) =>
        (op == Operation.HostReclaim ? "host " + HostActions.For(from.G).Name() : op.Name())
        + (when == DirtyCondition.Any ? "" : $" ({when.ToString().ToLowerInvariant()})");

    static string Target(GuestHostState from, GuestHostState? to) =>
        to is not { } t ? "no edge" : t == from ? $"stays {t}" : $"-> {t}";

    static string Where(Edge e) => e.Label is null ? e.Source ?? "" : $"\"{e.Label}\" {e.Source}";
}
