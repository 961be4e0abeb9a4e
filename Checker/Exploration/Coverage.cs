using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// What <c>check --coverage</c> reports, as TLC's <c>-coverage</c> does: which edges of the protocol's table some step
/// took and which program points of each vCPU's program some state reached, with how often, and which never. It is a
/// second walk over the whole state space after the search (unreduced, every violation explored past, as <c>--all</c>
/// does), so the search itself does no work for it.
/// </summary>
public sealed class Coverage
{
    /// <summary>Each edge of the protocol with the number of steps that took it.</summary>
    public required IReadOnlyList<(Edge Edge, long Steps)> Edges { get; init; }

    /// <summary>Per vCPU, each program point (a pc, and the program's end) with the number of states in which the vCPU is there.</summary>
    public required IReadOnlyList<IReadOnlyList<(string Point, long States)>> Programs { get; init; }

    public required long States { get; init; }

    public static Coverage Walk(Interleavings system)
    {
        var edges = system.Protocol.Edges;
        var taken = new long[edges.Count];
        int vcpus = system.Configuration.VcpuCount;
        var programs = Enumerable.Range(0, vcpus).Select(v => system.ProgramPoint(system.Initial, v).Program).ToArray();
        var at = programs.Select(p => new long[p.Done + 1]).ToArray();

        var seen = new HashSet<PackedState> { system.Initial };
        var frontier = new Queue<PackedState>([system.Initial]);
        var successors = new List<Successor>();
        while (frontier.TryDequeue(out var s))
        {
            for (int v = 0; v < vcpus; v++) at[v][system.ProgramPoint(s, v).Pc]++;
            successors.Clear();
            system.Successors(s, successors);
            foreach (var succ in successors)
            {
                var step = succ.Step;
                // A split step's table move is its load-and-commit; only the steps that carry a result make one.
                if (step.HasResult)
                    for (int e = 0; e < edges.Count; e++)
                        if (Takes(edges[e], step)) taken[e]++;
                if (seen.Add(succ.State)) frontier.Enqueue(succ.State);
            }
        }
        return new Coverage
        {
            Edges = edges.Select((e, i) => (e, taken[i])).ToList(),
            Programs = programs.Select((p, v) => (IReadOnlyList<(string, long)>)at[v].Select((n, pc) => (PointName(p, pc), n)).ToList()).ToList(),
            States = seen.Count,
        };
    }

    static bool Takes(Edge e, in Step step) =>
        step.Op.Op == e.Op && step.Before.GH == e.From && step.After.GH == e.To &&
        (e.When == DirtyCondition.Any || (e.When == DirtyCondition.Dirty) == step.Before.Dirty);

    static string PointName(GuestProgram p, int pc) =>
        pc == p.Done ? "done" : $"pc {pc} " + string.Join(" | ", p.Steps[pc].Select(c => c.Op.ToString()).Distinct());

    /// <summary>The report: per edge and per program point, reached with a count or never reached; a warning line per edge no run takes.</summary>
    public void Write(TextWriter w, Interleavings system)
    {
        w.WriteLine($"coverage ({Format.Count(States, "state")} walked):");
        w.WriteLine($"  protocol {system.Protocol.Name}: {Edges.Count(e => e.Steps > 0)} of {Format.Count(Edges.Count, "edge")} taken");
        foreach (var (edge, steps) in Edges)
            w.WriteLine($"    {edge,-40} {(steps > 0 ? Format.Count(steps, "step") : "never taken")}");
        for (int v = 0; v < Programs.Count; v++)
        {
            var points = Programs[v];
            w.WriteLine($"  {system.ActorName(v)} program {system.ProgramPoint(system.Initial, v).Program.Name}: {points.Count(p => p.States > 0)} of {Format.Count(points.Count, "program point")} reached");
            foreach (var (point, states) in points)
                w.WriteLine($"    {point,-40} {(states > 0 ? Format.Count(states, "state") : "never reached")}");
        }
        foreach (var (edge, _) in Edges.Where(e => e.Steps == 0))
            w.WriteLine($"warning: no run takes the edge {edge}{(edge.Source is null ? "" : $" ({edge.Source})")}");
    }
}
