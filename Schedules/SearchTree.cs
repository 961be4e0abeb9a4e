using System.Numerics;

namespace PageHintVerify.Schedules;

/// <summary>
/// The tree of schedules a search walks depth-first, one execution per leaf, replaying the path to a node to reach it
/// (the threads' code cannot be snapshotted). Each node is a state: the threads that can run, what each will access
/// next, the threads still to try from it.
/// <list type="bullet">
/// <item><see cref="Policy.PartialOrder"/>: dynamic partial-order reduction (Flanagan and Godefroid, POPL 2005) with
/// sleep sets. An execution starts with one thread per state; wherever a later access of another thread conflicts with
/// an earlier one and the two are not ordered by what happened between them, the other order is added where it could
/// have begun. A thread asleep at a state (its next access commutes with everything explored since it was tried) is
/// not tried again. Every order of conflicting accesses is explored once; orders of commuting ones are not.</item>
/// <item><see cref="Policy.Every"/>: every thread at every state, the tree without reduction.</item>
/// <item><see cref="Policy.Bounded"/>: every schedule with at most a given number of context switches.</item>
/// </list>
/// </summary>
sealed class SearchTree(SearchTree.Policy policy, int switchBound = int.MaxValue) : IChooser
{
    public enum Policy { PartialOrder, Every, Bounded }

    sealed class Node
    {
        public int Enabled, Sleep, Backtrack, Done, Chosen, Switches, Running;
        public Access[] Pending = [];
    }

    readonly List<Node> _nodes = [];

    // Happens-before in the current execution, as vector clocks: per access, and per thread after its last access.
    readonly List<int[]> _clocks = [];
    int[][] _threadClocks = [];

    public int Choose(Scheduler s)
    {
        int depth = s.Step;
        UpdateClocks(s);
        if (depth < _nodes.Count) return _nodes[depth].Chosen;
        var node = new Node { Enabled = s.Enabled, Pending = new Access[s.Threads] };
        for (int t = 0; t < s.Threads; t++)
            if (!s.Finished(t))
            {
                node.Running |= 1 << t;
                node.Pending[t] = s.Pending(t);
            }
        int last = depth > 0 ? _nodes[depth - 1].Chosen : -1;
        if (depth > 1 && _nodes[depth - 1].Chosen != _nodes[depth - 2].Chosen) node.Switches = _nodes[depth - 1].Switches + 1;
        else if (depth > 0) node.Switches = _nodes[depth - 1].Switches;
        int options;
        switch (policy)
        {
            case Policy.PartialOrder:
                AddRaces(s, node);
                if (depth > 0) node.Sleep = StillAsleep(_nodes[depth - 1]);
                options = node.Enabled & ~node.Sleep;
                break;
            case Policy.Every:
                options = node.Enabled;
                break;
            default:
                options = 0;
                for (int t = 0; t < s.Threads; t++)
                    if ((node.Enabled >> t & 1) != 0 && node.Switches + (last >= 0 && t != last ? 1 : 0) <= switchBound)
                        options |= 1 << t;
                break;
        }
        if (options == 0) return IChooser.Prune;
        int pick = Preferred(options, last);
        node.Backtrack = policy == Policy.PartialOrder ? 1 << pick : options;
        node.Done = 1 << pick;
        node.Chosen = pick;
        _nodes.Add(node);
        return pick;
    }

    /// <summary>Moves to the next leaf: the deepest node with a thread still to try. False when the tree is done.</summary>
    public bool Backtrack()
    {
        while (_nodes.Count > 0)
        {
            var top = _nodes[^1];
            if (policy == Policy.PartialOrder) top.Sleep |= 1 << top.Chosen;
            int candidates = top.Backtrack & ~top.Done & ~top.Sleep;
            if (candidates != 0)
            {
                top.Chosen = Preferred(candidates, _nodes.Count > 1 ? _nodes[^2].Chosen : -1);
                top.Done |= 1 << top.Chosen;
                return true;
            }
            _nodes.RemoveAt(_nodes.Count - 1);
        }
        return false;
    }

    /// <summary>The thread that ran last if it may run (no context switch), else the lowest.</summary>
    static int Preferred(int options, int last) =>
        last >= 0 && (options >> last & 1) != 0 ? last : BitOperations.TrailingZeroCount(options);

    /// <summary>
    /// For every thread's next access, the latest earlier access of another thread that conflicts with it and does not
    /// happen before it: the two could have run in the other order, so that order is tried from the state before the
    /// earlier one (with the thread itself if it could run there, else with every thread that could).
    /// </summary>
    void AddRaces(Scheduler s, Node node)
    {
        for (int p = 0; p < s.Threads; p++)
        {
            if ((node.Running >> p & 1) == 0) continue;
            var next = node.Pending[p];
            for (int i = s.Step - 1; i >= 0; i--)
            {
                var e = s.Trace[i];
                if (e.Thread == p || !e.Effect.ConflictsWith(next) || HappensBefore(i, e.Thread, p)) continue;
                var before = _nodes[i];
                before.Backtrack |= (before.Enabled >> p & 1) != 0 ? 1 << p : before.Enabled;
                break;
            }
        }
    }

    /// <summary>The threads asleep after the parent's choice: asleep there, and their next access commutes with the choice.</summary>
    static int StillAsleep(Node parent)
    {
        var chosen = parent.Pending[parent.Chosen];
        int sleep = 0;
        for (int q = 0; q < parent.Pending.Length; q++)
            if ((parent.Sleep >> q & 1) != 0 && q != parent.Chosen && !parent.Pending[q].ConflictsWith(chosen))
                sleep |= 1 << q;
        return sleep;
    }

    bool HappensBefore(int access, int thread, int p) => _threadClocks[p][thread] >= _clocks[access][thread];

    void UpdateClocks(Scheduler s)
    {
        if (s.Step == 0 || _threadClocks.Length != s.Threads)
        {
            _clocks.Clear();
            _threadClocks = Enumerable.Range(0, s.Threads).Select(_ => new int[s.Threads]).ToArray();
        }
        for (int i = _clocks.Count; i < s.Step; i++)
        {
            var e = s.Trace[i];
            var clock = (int[])_threadClocks[e.Thread].Clone();
            for (int j = 0; j < i; j++)
                if (s.Trace[j].Thread != e.Thread && s.Trace[j].Effect.ConflictsWith(e.Effect))
                    for (int t = 0; t < clock.Length; t++) clock[t] = Math.Max(clock[t], _clocks[j][t]);
            clock[e.Thread]++;
            _clocks.Add(clock);
            _threadClocks[e.Thread] = clock;
        }
    }
}
