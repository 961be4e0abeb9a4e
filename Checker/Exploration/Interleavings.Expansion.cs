namespace PageHintVerify.Checker.Exploration;

/// <summary>The search's hot path: successors from the memoized step table, and the step rules run once per table entry.</summary>
public sealed partial class Interleavings
{
    /// <summary>
    /// The memoized steps: after a complete search, every step of every reachable state. A twin actor's groups that
    /// <see cref="Expand"/> never looked up (it used its twin's) are computed here first.
    /// </summary>
    public IReadOnlyList<(ulong Key, StepGroup Steps)> MemoizedStepGroups
    {
        get
        {
            foreach (var key in _steps.Keys)
            {
                var (actor, local, page, word) = StepTable.Decode(key);
                for (int b = 0; b < ActorCount; b++)
                    if (_twin[b] == actor) _steps.Get(StepTable.Key(b, local, page, word));
            }
            return _steps.Entries;
        }
    }

    /// <summary>Steps memoized so far (see <see cref="StepTable"/>) and their bytes.</summary>
    public int MemoizedSteps => _steps.Count;
    public long MemoBytes => _steps.Bytes;

    /// <summary>
    /// Every successor of <paramref name="s"/> with the invariants its step violates, in the order of
    /// <see cref="Successors"/>, from the step table: no <see cref="Step"/> records, no page machine.
    /// The violations are the step's transition invariants and the state invariants of the page it changed (the other
    /// pages are as in <paramref name="s"/>, whose own violations were counted when it was found).
    /// </summary>
    public void Expand(in PackedState s, Expansion into)
    {
        into.Count = 0;
        // The step group of each (actor, page) of this state, actor-major, kept in the buffer between expansions.
        if (into.Scratch is not GroupSlot[] groups || groups.Length < _actorBlock.Length * _pageBlock.Length)
            into.Scratch = groups = new GroupSlot[_actorBlock.Length * _pageBlock.Length];
        int steps = 0;
        int pages = _pageBlock.Length;
        for (int a = 0; a < _actorBlock.Length; a++)
        {
            int local = _actorBlock[a].Get(s);
            int twin = _twin[a];
            bool asTwin = twin >= 0 && _actorBlock[twin].Get(s) == local;
            for (int p = 0; p < pages; p++)
            {
                int at = a * pages + p;
                // An interchangeable actor in the same local state has the same steps as its twin (which were just
                // taken); those that keep it there reach the states its twin reached, with the same violations: only
                // the step count matters, and the twin's group tells it without a look-up.
                if (asTwin && groups[twin * pages + p] is { KeepsLocal: true } twinGroup)
                {
                    steps += twinGroup.Steps;
                    groups[at] = twinGroup;
                    continue;
                }
                var group = groups[at] = _steps.Get(GroupKey(s, a, local, p));
                ulong low = s.A & _keepLow[at], high = s.B & _keepHigh[at];
                var effects = _steps.EffectsOf(group);
                into.Reserve(effects.Length);
                foreach (ref readonly var e in effects) into.AddReserved(new PackedState(low | e.OrA, high | e.OrB), e.Violations, steps + e.Ordinal);
                steps += group.Steps;
            }
        }
        into.Steps = steps;
    }

    /// <summary>Starts loading the step-table entries <see cref="Expand"/> reads for <paramref name="s"/>: a table of
    /// some ten thousand groups does not stay in the core's cache beside the visited set's traffic.</summary>
    public void Prefetch(in PackedState s)
    {
        for (int a = 0; a < _actorBlock.Length; a++)
        {
            int local = _actorBlock[a].Get(s);
            for (int p = 0; p < _pageBlock.Length; p++) _steps.Prefetch(GroupKey(s, a, local, p));
        }
    }

    /// <summary>The step-table key of <paramref name="actor"/>'s steps on <paramref name="page"/> in
    /// <paramref name="s"/>, the actor being in <paramref name="local"/>.</summary>
    ulong GroupKey(in PackedState s, int actor, int local, int page) => StepTable.Key(actor, local, page, _pageBlock[page].Get(s));

    /// <summary>Computes one step-table entry by running the step-by-step code on a state holding just that actor and page.</summary>
    StepGroup Effects(ulong key)
    {
        var (actor, local, page, word) = StepTable.Decode(key);
        var block = _actorBlock[actor];
        var s = _pageBlock[page].Set(block.Set(default, local), word);
        var successors = new List<Successor>();
        if (actor < _vcpus.Length) GuestSteps(s, actor, successors);
        else _rules.HostSteps(s, actor - _vcpus.Length, successors);
        var effects = new List<StepEffect>();
        int steps = 0;
        bool keepsLocal = true;
        foreach (var succ in successors)
        {
            if (succ.Step.Page != page) continue;
            var or = _pageBlock[page].Set(block.Set(default, block.Get(succ.State)), _pageBlock[page].Get(succ.State));
            int violations = succ.Violations | _stateViolations[_page[page].Get(succ.State)];
            keepsLocal &= block.Get(succ.State) == local;
            // A step that changes nothing finds no state, and its target's state violations are its source's, counted
            // already; a repeat of an earlier step's effect (another operation with the same outcome) finds nothing new.
            if ((succ.State != s || succ.Violations != 0) && !effects.Exists(e => e.OrA == or.A && e.OrB == or.B && e.Violations == violations))
                effects.Add(new StepEffect(or.A, or.B, violations, steps));
            steps++;
        }
        return steps == 0 ? StepGroup.None : new StepGroup(steps, [.. effects], keepsLocal);
    }
}
