using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// Which part of an operation a step is; an atomic operation is one <see cref="Whole"/> step. Naive splits an operation
/// into <see cref="Load"/>, <see cref="Store"/> (of the word decided from the loaded one) and a write's <see cref="StoreData"/>; cas takes the lock-free table's
/// steps: <see cref="Load"/> (or <see cref="LoadReturns"/>), then <see cref="Swap"/> (or <see cref="SwapFails"/>) or an
/// optimistic read's <see cref="ReadCell"/> and <see cref="LoadAgain"/> (or <see cref="LoadAgainFails"/>), then the work under
/// the pin (<see cref="ZeroFill"/>, <see cref="ReadCell"/>, <see cref="StoreData"/>, <see cref="CopyToDisk"/>,
/// <see cref="CopyFromDisk"/>) and <see cref="Release"/>.
/// </summary>
public enum Phase : byte
{
    Whole, Load, Store, SwapFails, StoreData,
    /// <summary>A load whose decision changes nothing: the operation returns there (its linearization point).</summary>
    LoadReturns,
    Swap, ReadCell,
    /// <summary>An optimistic read's second load that finds the word unchanged: the read returns the value it saw.</summary>
    LoadAgain,
    /// <summary>An optimistic read's second load that finds the word moved: the read starts again.</summary>
    LoadAgainFails,
    ZeroFill, CopyToDisk, CopyFromDisk, Release,
}

/// <summary>One step of one actor, with everything a trace shows and the invariants look at.</summary>
public readonly record struct Step(byte Actor, PageOp Op, byte Page, Phase Phase, OpResult Result, PageState Before, PageState After)
{
    /// <summary>Steps that end with an operation's result; only these are judged by transition invariants.</summary>
    public bool HasResult => Phase is Phase.Whole or Phase.Store or Phase.Swap or Phase.LoadReturns or Phase.LoadAgain;
}
