using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// A step as a counterexample records it: who did what where (the label replay matches on), and optionally what it
/// returned and every page after it (what replay compares).
/// </summary>
public sealed record RecordedStep(int Actor, PageOp Op, int Page, Phase Phase, OpResult? Result = null, PageState[]? PagesAfter = null)
{
    public static RecordedStep Of(TraceStep t) => new(t.Step.Actor, t.Step.Op, t.Step.Page, t.Step.Phase, t.Step.Result, t.PagesAfter);

    /// <summary>Whether a successor's step is this step's label: same actor, operation and cell, page and phase.</summary>
    public bool Labels(in Step s) => s.Actor == Actor && s.Op == Op && s.Page == Page && s.Phase == Phase;
}

/// <summary>Where a replay first departs from the record: the 1-based step, and what was expected against what happened.</summary>
public sealed record Divergence(int StepNumber, string Step, string Expected, string Actual)
{
    public override string ToString() => $"diverges at step {StepNumber} ({Step}): expected {Expected}; actual {Actual}";
}

/// <summary>What a replay did: the steps it executed with the invariants each violates, and the divergence that stopped it, if any.</summary>
public sealed record ReplayResult(IReadOnlyList<TraceStep> Trace, IReadOnlyList<int> Violations, Divergence? Divergence)
{
    public bool Complete => Divergence is null;

    /// <summary>The 0-based index of the first executed step that violates <paramref name="invariant"/>, or -1.</summary>
    public int FirstViolation(Invariant invariant)
    {
        for (int i = 0; i < Violations.Count; i++)
            if ((Violations[i] & invariant.Bit()) != 0) return i;
        return -1;
    }
}

/// <summary>
/// Deterministic replay: executes recorded steps one by one from the initial state, each as the successor of
/// <see cref="Interleavings.Successors"/> that carries the same label. A label can match more than one successor
/// (the page-cache program's two <c>set_volatile(w=1)</c> choices differ only in what comes next), so replay tries
/// them in successor order, depth first, and keeps the first path that gets through; when none does, it reports the
/// divergence that got furthest, with the steps executed before it.
/// </summary>
public sealed class Replay
{
    readonly Interleavings _system;
    readonly IReadOnlyList<RecordedStep> _steps;
    readonly bool _compare;
    readonly List<TraceStep> _path = [];
    readonly List<int> _masks = [];
    Divergence? _furthest;
    ReplayResult? _furthestPrefix;

    Replay(Interleavings system, IReadOnlyList<RecordedStep> steps, bool compare) => (_system, _steps, _compare) = (system, steps, compare);

    /// <summary>Replays <paramref name="steps"/>; with <paramref name="compare"/>, a step whose result or pages differ from the record diverges.</summary>
    public static ReplayResult Run(Interleavings system, IReadOnlyList<RecordedStep> steps, bool compare = true)
    {
        var replay = new Replay(system, steps, compare);
        // The walk recurses once per step: on a thread of its own with a stack for the longest trace a script allows
        // (about 12,000 steps; the default stack overflowed at some 30,000 in Release and far fewer in Debug).
        bool through = false;
        Exception? failed = null;
        var walker = new Thread(() =>
        {
            try { through = replay.Walk(system.Initial); }
            catch (Exception e) { failed = e; }
        }, maxStackSize: 256 << 20);
        walker.Start();
        walker.Join();
        if (failed is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failed).Throw();
        return through ? new ReplayResult(replay._path, replay._masks, null) : replay._furthestPrefix!;
    }

    readonly HashSet<(PackedState, int)> _deadEnds = [];

    bool Walk(PackedState state)
    {
        int n = _path.Count;
        if (n == _steps.Count) return true;
        // A nondeterministic protocol lets a step match several successors: remember where no path got through, or a
        // hostile file of a few dozen steps makes replay exponential.
        if (_deadEnds.Contains((state, n))) return false;
        var want = _steps[n];
        var successors = new List<Successor>();
        _system.Successors(state, successors);
        var matching = successors.Where(s => want.Labels(s.Step)).ToList();
        if (matching.Count == 0)
        {
            var enabled = successors.Select(s => Label(_system, RecordedStep.Of(new TraceStep(s.Step, [])))).Distinct().ToList();
            Note(new Divergence(n + 1, Label(_system, want), "this step to be enabled",
                enabled.Count == 0 ? "no actor can take a step" : "enabled are only " + string.Join(", ", enabled)));
            _deadEnds.Add((state, n));
            return false;
        }
        foreach (var succ in matching)
        {
            var pages = Enumerable.Range(0, _system.PageCount).Select(p => _system.Page(succ.State, p)).ToArray();
            var mismatch = _compare ? Compare(want, succ.Step, pages) : null;
            _path.Add(new TraceStep(succ.Step, pages));
            _masks.Add(succ.Violations | _system.StateViolations(succ.State));
            if (mismatch is { } m) Note(new Divergence(n + 1, Label(_system, want), m.Expected, m.Actual));
            else if (Walk(succ.State)) return true;
            _path.RemoveAt(n);
            _masks.RemoveAt(n);
        }
        _deadEnds.Add((state, n));
        return false;
    }

    void Note(Divergence d)
    {
        if (_furthest is not null && _furthest.StepNumber >= d.StepNumber) return;
        _furthest = d;
        _furthestPrefix = new ReplayResult([.. _path], [.. _masks], d);
    }

    static (string Expected, string Actual)? Compare(RecordedStep want, in Step got, PageState[] pages)
    {
        if (want.Result is { } r && r != got.Result)
        {
            // The value matters only to a whole read, so it is shown there; anywhere else it is shown when it differs.
            bool value = r.Value != got.Result.Value;
            return ($"result {StepText.ResultFields(r, want.Op, want.Phase, value)}", $"result {StepText.ResultFields(got.Result, got.Op, got.Phase, value)}");
        }
        if (want.PagesAfter is { } expected)
        {
            if (expected.Length != pages.Length)
                return ($"{Format.Count(expected.Length, "page")} after it", $"{pages.Length}");
            for (int p = 0; p < pages.Length; p++)
                if (expected[p] != pages[p])
                {
                    // A page prints every field it holds; bits outside them (never written by a parser) show as hex.
                    bool same = expected[p].ToString() == pages[p].ToString();
                    return ($"page {p} after it {Page(expected[p], same)}", Page(pages[p], same));
                }
        }
        return null;
    }

    static string Page(PageState page, bool withBits) => withBits ? $"{page} (bits 0x{page.Bits:x})" : page.ToString();

    /// <summary>A step's label as traces show it: <c>vcpu0 set_stable_if_present store page 0</c>.</summary>
    public static string Label(Interleavings system, RecordedStep s) =>
        StepText.Label(system.ActorName(s.Actor), s.Op, s.Result?.Old, s.Page, s.Phase);
}
