using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>
/// Two processes sharing a critical section. Each has a program counter (two bits) and a flag; <see cref="Peterson"/>
/// adds a turn bit. Steps are labelled "process:action" and listed process 0 first.
/// </summary>
public abstract class Mutex : ITransitionSystem<string>
{
    public const int Critical = 3;
    protected static readonly BitField[] Pc, Flag;
    protected static readonly BitField Turn;
    static readonly int Bits;

    static Mutex()
    {
        var layout = new BitLayout();
        Pc = [layout.Bits(2), layout.Bits(2)];
        Flag = [layout.Bits(1), layout.Bits(1)];
        Turn = layout.Bits(1);
        Bits = layout.BitsUsed;
    }

    public static readonly Property MutualExclusion = new("ME", "at most one process in its critical section", PropertyKind.State);

    public PackedState Initial => default;
    public int StateBits => Bits;
    public IReadOnlyList<Property> Properties { get; } = [MutualExclusion];

    public int StateViolations(in PackedState s) => Pc[0].Get(s) == Critical && Pc[1].Get(s) == Critical ? 1 : 0;

    public void Successors(in PackedState s, List<Transition<string>> into)
    {
        for (int i = 0; i < 2; i++)
            if (Step(s, i) is { } step) into.Add(new Transition<string>(step.Next, $"{i}:{step.Action}", 0));
    }

    /// <summary>Process <paramref name="i"/>'s one step from <paramref name="s"/>, or null when it is blocked.</summary>
    protected abstract (PackedState Next, string Action)? Step(in PackedState s, int i);

    public static (int Pc0, int Pc1, int Flag0, int Flag1, int Turn) Decode(in PackedState s) =>
        (Pc[0].Get(s), Pc[1].Get(s), Flag[0].Get(s), Flag[1].Get(s), Turn.Get(s));
}

/// <summary>
/// The known bug: a process checks the other's flag and only then sets its own, so both can pass the check before
/// either flag is up. 0 idle → 1 check → 2 set flag → 3 critical → (exit) 0.
/// </summary>
public class CheckThenSet : Mutex
{
    protected override (PackedState Next, string Action)? Step(in PackedState s, int i) => Pc[i].Get(s) switch
    {
        0 => (Pc[i].Set(s, 1), "want"),
        1 => Flag[1 - i].Get(s) == 0 ? (Pc[i].Set(s, 2), "check") : null,
        2 => (Pc[i].Set(Flag[i].Set(s, 1), Critical), "set flag"),
        _ => (Pc[i].Set(Flag[i].Set(s, 0), 0), "exit"),
    };
}

/// <summary>The same protocol whose states are stored one per orbit of swapping the two processes.</summary>
public sealed class SymmetricCheckThenSet : CheckThenSet, ITransitionSystem<string>
{
    public bool HasSymmetry => true;

    public PackedState Canonical(in PackedState s)
    {
        var (pc0, pc1, flag0, flag1, _) = Decode(s);
        if ((pc0, flag0).CompareTo((pc1, flag1)) <= 0) return s;
        return Flag[1].Set(Flag[0].Set(Pc[1].Set(Pc[0].Set(s, pc1), pc0), flag1), flag0);
    }
}

/// <summary>Peterson's algorithm: 0 idle → (flag up) 1 → (turn to the other) 2 → (enter when the other's flag is down
/// or it is our turn) 3 critical → (exit, flag down) 0.</summary>
public sealed class Peterson : Mutex
{
    protected override (PackedState Next, string Action)? Step(in PackedState s, int i) => Pc[i].Get(s) switch
    {
        0 => (Pc[i].Set(Flag[i].Set(s, 1), 1), "want"),
        1 => (Pc[i].Set(Turn.Set(s, 1 - i), 2), "yield turn"),
        2 => Flag[1 - i].Get(s) == 0 || Turn.Get(s) == i ? (Pc[i].Set(s, Critical), "enter") : null,
        _ => (Pc[i].Set(Flag[i].Set(s, 0), 0), "exit"),
    };
}
