using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>Which part of an operation a step is; an atomic operation is one <see cref="Whole"/> step.</summary>
public enum Phase : byte { Whole, Load, Commit, Retry, StoreData }

/// <summary>One step of one actor, with everything a trace shows and the invariants look at.</summary>
public readonly record struct Step(byte Actor, PageOp Op, byte Page, Phase Phase, OpResult Result, PageState Before, PageState After)
{
    /// <summary>Steps that end with an operation's result; only these are judged by transition invariants.</summary>
    public bool HasResult => Phase is Phase.Whole or Phase.Commit;
}

/// <summary>A successor of a state: the state, the step that leads there, the transition invariants it violates.</summary>
public readonly record struct Successor(PackedState State, Step Step, int Violations);
