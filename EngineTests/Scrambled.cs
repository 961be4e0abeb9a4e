using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>
/// A pseudo-random graph over the numbers below <paramref name="size"/>, for searches whose level order is irregular:
/// each number has <paramref name="fanout"/> steps to mixed-up numbers (self-loops and repeats included). A state
/// property fails on about one number in 211, a transition property on about one step in 101. The numbers 2m and
/// 2m+1 have the same steps and the same state properties: swapping them is a symmetry. With
/// <paramref name="twoWords"/> a state keeps its number in the second word.
/// </summary>
public readonly struct Scrambled(int size, int fanout, bool twoWords = false) : ITransitionSystem<string>
{
    public static readonly Property Rare = new("R", "not a rare number", PropertyKind.State);
    public static readonly Property Alarm = new("A", "no alarming step", PropertyKind.Transition);

    public PackedState Initial => default;
    public int StateBits => (twoWords ? 64 : 0) + BitLayout.WidthFor(size);
    public IReadOnlyList<Property> Properties => [Rare, Alarm];

    int Number(in PackedState s) => (int)(twoWords ? s.B : s.A);
    PackedState State(int n) => twoWords ? new PackedState(0, (ulong)n) : new PackedState((ulong)n, 0);

    static ulong Mix(ulong x)
    {
        x ^= x >> 31;
        x *= 0x7FB5D329728EA185UL;
        return x ^ (x >> 27);
    }

    public int StateViolations(in PackedState s) => Number(s) / 2 % 211 == 7 ? 1 : 0;

    public void Successors(in PackedState s, List<Transition<string>> into)
    {
        int n = Number(s);
        for (int j = 0; j < fanout; j++)
        {
            ulong h = Mix((ulong)(n / 2) * 31 + (ulong)j + 1);
            int to = (int)(h % (ulong)size);
            into.Add(new Transition<string>(State(to), $"{n}-{j}->{to}", h % 101 == 3 ? 2 : 0));
        }
    }

    public bool HasSymmetry => true;
    public PackedState Canonical(in PackedState s) => State(Number(s) & ~1);
}
