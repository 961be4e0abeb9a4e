using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The one place that writes a step as text, so that the trace table, replay's divergences, the state-graph and
/// page-path pictures, the sequence chart, the trace explorer and counterexample files use the same words: a host
/// reclaim is named by the action it is in the page's state (<c>discard volatile</c>), and a phase by its one name
/// (<c>store-data</c>), which is also what counterexample files store.
/// </summary>
public static class StepText
{
    /// <summary>Each phase's name; a whole atomic operation is <c>whole</c> in files and shows no phase in traces.</summary>
    static readonly (Phase Phase, string Name)[] PhaseNames =
    [
        (Phase.Whole, "whole"), (Phase.Load, "load"), (Phase.Store, "store"), (Phase.SwapFails, "swap-fails"),
        (Phase.StoreData, "store-data"), (Phase.LoadReturns, "load-returns"), (Phase.Swap, "swap"),
        (Phase.ReadCell, "read-cell"), (Phase.LoadAgain, "load-again"), (Phase.LoadAgainFails, "load-again-fails"),
        (Phase.ZeroFill, "zero-fill"), (Phase.CopyToDisk, "copy-to-disk"), (Phase.CopyFromDisk, "copy-from-disk"),
        (Phase.Release, "release"),
    ];

    /// <summary>Every phase name, in the order of <see cref="Phase"/>.</summary>
    public static IEnumerable<string> Names => PhaseNames.Select(p => p.Name);

    /// <summary>The phase's name, as files store it.</summary>
    public static string Name(Phase phase) => PhaseNames.First(p => p.Phase == phase).Name;

    public static bool TryParsePhase(string name, out Phase phase)
    {
        foreach (var (p, n) in PhaseNames)
            if (n == name) { phase = p; return true; }
        phase = default;
        return false;
    }

    /// <summary>The phase as traces show it: its name, or nothing for a whole operation.</summary>
    public static string PhaseText(Phase phase) => phase == Phase.Whole ? "" : Name(phase);

    /// <summary>
    /// The operation: a guest operation with its cell (<c>write(1)</c>); a host reclaim as the action it is in the page's
    /// usage state before the step, or <c>host reclaim</c> when that state is not known.
    /// </summary>
    public static string Operation(PageOp op, GuestHostState? before) =>
        op.Op == Model.Operation.HostReclaim && before is { } b ? HostActions.For(b.G).Name() : op.ToString();

    public static string Operation(in Step step) => Operation(step.Op, step.Before.GH);

    /// <summary>What an actor does, without who and where: <c>write(1) store-data</c>.</summary>
    public static string Action(PageOp op, GuestHostState? before, Phase phase)
    {
        string text = PhaseText(phase);
        return Operation(op, before) + (text.Length > 0 ? " " + text : "");
    }

    public static string Action(in Step step) => Action(step.Op, step.Before.GH, step.Phase);

    /// <summary>A step's label: <c>vcpu0 write(1) store-data page 0</c>.</summary>
    public static string Label(string actor, PageOp op, GuestHostState? before, int page, Phase phase) =>
        $"{actor} {Action(op, before, phase)} page {page}";

    public static string Label(string actor, in Step step) => Label(actor, step.Op, step.Before.GH, step.Page, step.Phase);

    /// <summary>What the step saw or returned, as traces show it (empty for the work done under a pin).</summary>
    public static string Result(in Step step) => step.Phase switch
    {
        Phase.Load => $"sees {step.Result.Old}",
        Phase.SwapFails or Phase.LoadAgainFails => "word changed",
        Phase.StoreData => $"stores {step.After.Want(step.Op.Cell)}",
        Phase.ReadCell => $"sees {step.Result.Value}",
        Phase.ZeroFill or Phase.CopyToDisk or Phase.CopyFromDisk or Phase.Release => "",
        _ => step.Result.Describe(step.Op),
    };

    /// <summary>Every field of a result that matters to its step, and the value too when <paramref name="value"/>, so
    /// that two different results never read the same (what replay compares).</summary>
    public static string ResultFields(OpResult r, PageOp op, Phase phase, bool value = false) =>
        $"old {r.Old}, {r.Outcome}" + (value || (op.Op == Model.Operation.Read && phase is Phase.Whole or Phase.Swap or Phase.LoadAgain) ? $", value {r.Value}" : "") + (r.Gap ? ", gap" : "");
}
