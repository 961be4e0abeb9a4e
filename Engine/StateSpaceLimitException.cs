namespace PageHintVerify.Engine;

/// <summary>Which representation limit a state space passed.</summary>
public enum StateSpaceLimit
{
    /// <summary>A state needs more bits than a <see cref="PackedState"/> has.</summary>
    StateBits,
    /// <summary>A collapsed <see cref="StateStore"/> met more distinct state words than a <see cref="ComponentTable"/> holds.</summary>
    DistinctWords,
}

/// <summary>
/// A state space the engine cannot represent (<see cref="StateSpaceLimit"/>). The message is neutral; a front end adds
/// its own advice.
/// </summary>
public sealed class StateSpaceLimitException(StateSpaceLimit limit, string message) : Exception(message)
{
    public StateSpaceLimit Limit { get; } = limit;
}
