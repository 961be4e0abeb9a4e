namespace PageHintVerify.Engine;

/// <summary>
/// Reachability with parents: a breadth-first search from the initial state that stops at the first state meeting a
/// goal and returns the steps there. Meant for small state spaces (it keeps every state and its parent in a
/// dictionary); a full search is <see cref="BreadthFirstSearch{TSystem, TStep}"/>.
/// </summary>
public static class ShortestPath
{
    /// <summary>The shortest trace (each step with the state after it) from the initial state to a state satisfying
    /// <paramref name="goal"/>, taking only steps <paramref name="allowed"/> accepts (all by default): empty if the
    /// initial state does, null if no such state is reachable. Ties go to the first in <c>Successors</c> order.</summary>
    public static IReadOnlyList<Transition<TStep>>? To<TStep>(ITransitionSystem<TStep> system, Func<PackedState, bool> goal,
        Func<TStep, bool>? allowed = null)
    {
        var initial = system.Initial;
        var parent = new Dictionary<PackedState, (PackedState From, Transition<TStep> Step)>();
        var queue = new Queue<PackedState>([initial]);
        var seen = new HashSet<PackedState> { initial };
        var successors = new List<Transition<TStep>>();
        while (queue.Count > 0)
        {
            var s = queue.Dequeue();
            if (goal(s)) return TraceTo(s, parent);
            successors.Clear();
            system.Successors(s, successors);
            foreach (var succ in successors)
                if ((allowed is null || allowed(succ.Step)) && seen.Add(succ.State))
                {
                    parent[succ.State] = (s, succ);
                    queue.Enqueue(succ.State);
                }
        }
        return null;
    }

    static List<Transition<TStep>> TraceTo<TStep>(PackedState s, Dictionary<PackedState, (PackedState From, Transition<TStep> Step)> parent)
    {
        var trace = new List<Transition<TStep>>();
        for (; parent.TryGetValue(s, out var p); s = p.From) trace.Add(p.Step);
        trace.Reverse();
        return trace;
    }
}
