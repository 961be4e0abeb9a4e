namespace PageHintVerify.Schedules;

/// <summary>What a shared-memory access does (the members of <see cref="PageTable.IMemory"/>).</summary>
public enum AccessKind : byte { Load, CompareExchange, Release, LoadCell, ReadCell, WriteCell }

/// <summary>A shared-memory access a thread is about to make or made: what it does, and where.</summary>
/// <param name="Location">An index from <see cref="SharedLocations"/>, or <see cref="Unknown"/> for memory it does not hold.</param>
public readonly record struct Access(AccessKind Kind, int Location)
{
    /// <summary>Memory outside every registered array: it may be any location, so it conflicts with every write.</summary>
    public const int Unknown = -1;

    /// <summary>Whether the access may change memory.</summary>
    public bool Writes => Kind is AccessKind.CompareExchange or AccessKind.Release or AccessKind.WriteCell;

    /// <summary>
    /// A compare-and-swap that fails changes nothing: it reads, and commutes with every other read of its location (two
    /// orders of it and a read give the same values and the same memory). It conflicts with writes as a read does.
    /// </summary>
    public Access Failing => Kind == AccessKind.CompareExchange ? this with { Kind = AccessKind.Load } : this;

    /// <summary>
    /// Whether the two accesses may not commute: the same location (or an unknown one) and at least one writes. Two
    /// accesses that do not conflict give the same result in either order, so the search runs them in one order only.
    /// </summary>
    public bool ConflictsWith(Access other) =>
        (Writes || other.Writes) && (Location == other.Location || Location == Unknown || other.Location == Unknown);
}

/// <summary>An access that happened.</summary>
/// <param name="Read">What a load, a cell read or a compare-and-swap found.</param>
/// <param name="Written">What a store, a cell write or a compare-and-swap offered.</param>
/// <param name="Succeeded">Whether a compare-and-swap swapped (true for every other access).</param>
public readonly record struct Event(int Thread, Access Access, ulong Read, ulong Written, bool Succeeded)
{
    /// <summary>Whether the access changed memory (a failed compare-and-swap did not).</summary>
    public bool Changed => Access.Writes && Succeeded;

    /// <summary>The access as it acted: a failed compare-and-swap as the read it was.</summary>
    public Access Effect => Succeeded ? Access : Access.Failing;
}

/// <summary>
/// One operation a thread ran, as the execution declared it (<see cref="Scheduler.BeginOperation"/>): its name, its first
/// and last access as indices into the trace, and what it returned.
/// </summary>
public sealed record OperationSpan(int Thread, string Name, int FirstEvent, int LastEvent, string Result);
