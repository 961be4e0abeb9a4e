using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Pictures;

/// <summary>The whole state graph of a configuration as Graphviz DOT: a node per reachable state (its pages and what
/// each vCPU does next), an edge per step; violating states and steps red, the initial state bold.</summary>
public static class StateGraphDot
{
    /// <summary>Writes the graph; writes nothing and returns false when there are more than <paramref name="maxStates"/>
    /// states, found out by a search that stops as soon as it passes them.</summary>
    public static bool Write(TextWriter w, Interleavings system, SearchOptions options, long maxStates)
    {
        var search = new PageSearch(system, options);
        if (search.ReachableLevels(maxStates) is not { } levels) return false;
        var states = levels.SelectMany(l => l).ToList();
        var index = new Dictionary<PackedState, int>();
        for (int i = 0; i < states.Count; i++) index[states[i]] = i;
        w.WriteLine("digraph states {");
        w.WriteLine("  node [shape=box, fontname=\"monospace\", fontsize=9]; edge [fontname=\"monospace\", fontsize=8];");
        for (int i = 0; i < states.Count; i++)
        {
            var s = states[i];
            string pages = string.Join("\\n", Enumerable.Range(0, system.PageCount).Select(p => system.Page(s, p).ToString()));
            string color = system.StateViolations(s) != 0 ? ", color=red, fontcolor=red" : i == 0 ? ", penwidth=2" : "";
            w.WriteLine($"  s{i} [label=\"{pages}\\n{system.ProgramCounters(s)}\"{color}];");
        }
        var successors = new List<Successor>();
        for (int i = 0; i < states.Count; i++)
        {
            successors.Clear();
            system.Successors(states[i], successors);
            foreach (var succ in successors)
            {
                if (!index.TryGetValue(search.Stored(succ.State), out int j)) continue;
                string label = StepText.Label(system.ActorName(succ.Step.Actor), succ.Step);
                w.WriteLine($"  s{i} -> s{j} [label=\"{label}\"{(succ.Violations != 0 ? ", color=red" : "")}];");
            }
        }
        w.WriteLine("}");
        return true;
    }
}
