using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Pictures;

/// <summary>
/// A replayed counterexample as Graphviz DOT: for each page, the path of states it goes through, one node per state it
/// reaches and one edge per step that changes it, labelled with the step number, actor, operation and phase. The
/// violating step is red, whether it changes the page or not.
/// </summary>
public static class PagePathDot
{
    public static void Write(TextWriter w, ReplayVerdict verdict)
    {
        var system = verdict.System;
        var trace = verdict.Replay.Trace;
        int violating = verdict.Reproduces ? trace.Count - 1 : -1;
        w.WriteLine("digraph trace {");
        w.WriteLine("  rankdir=TB;");
        w.WriteLine("  node [shape=box, style=rounded, fontname=\"monospace\", fontsize=10]; edge [fontname=\"monospace\", fontsize=9];");
        for (int p = 0; p < system.PageCount; p++)
        {
            w.WriteLine($"  subgraph cluster_page{p} {{");
            w.WriteLine($"    label=\"page {p}\";");
            string node = $"p{p}s0";
            w.WriteLine($"    {node} [label=\"{system.Page(system.Initial, p)}\", penwidth=2];");
            for (int i = 0; i < trace.Count; i++)
            {
                var step = trace[i].Step;
                if (step.Page != p || (step.After == step.Before && i != violating)) continue;
                string label = $"{i + 1}: {system.ActorName(step.Actor)} {StepText.Action(step)}\\n{StepText.Result(step)}";
                string red = i == violating ? ", color=red, fontcolor=red" : "";
                string next = $"p{p}s{i + 1}";
                w.WriteLine($"    {next} [label=\"{trace[i].PagesAfter[p]}\"{red}];");
                w.WriteLine($"    {node} -> {next} [label=\"{label.Replace("\"", "\\\"")}\"{red}];");
                node = next;
            }
            w.WriteLine("  }");
        }
        w.WriteLine("}");
    }
}
