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
        usage: pagehint analyze [VARIANT|FILE...]

        For each variant (reference, graph1, graph2, or a text file holding a Graphviz digraph) prints, against the
        reference table of SPEC section 3: the states reachable from Uz and the unreachable ones, valid states no edge
        touches, the gaps (no edge: treated as no change) and what the reference does there, edges that differ from
        the reference, edges only the graph has, edges only the reference has, and nondeterministic edges.
        With no argument: reference, graph1 and graph2. Exit code 0 when the analysis ran, 2 for unreadable input.
        """;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        var names = args.Positional.Count > 0 ? args.Positional : Variants.Names.ToArray();
        args.RejectUnknown();
        // Load everything first: a malformed file ends in one error line, not after a partial report.
        var protocols = names.Select(Variants.Resolve).ToArray();
        for (int i = 0; i < protocols.Length; i++)
        {
            if (i > 0) output.WriteLine();
            Write(ProtocolAnalysis.Of(protocols[i], Protocol.Reference), output);
        }
        return CommandLine.Ok;
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
