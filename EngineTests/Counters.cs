using PageHintVerify.Engine;

namespace PageHintVerify.EngineTests;

/// <summary>
/// <paramref name="count"/> bounded counters, each 0 to <paramref name="max"/>, each step incrementing one that is below
/// its bound ("inc i"): (max+1)^count states, count·max·(max+1)^(count-1) steps, depth count·max. One state property,
/// "not all at their bound", fails only at the last level; one transition property, "no counter reaches
/// <paramref name="alarm"/>", fails on every step that takes one there. <paramref name="padding"/> unused bits come
/// first, to push the counters into the second word of a state. With <paramref name="symmetric"/> the counters are
/// interchangeable: a state's representative has its values in ascending order.
/// </summary>
public readonly struct Counters(int count, int max, int alarm = int.MaxValue, int padding = 0, bool symmetric = false) : ITransitionSystem<string>
{
    readonly BitField[] _counters = Layout(count, max, padding);

    static BitField[] Layout(int count, int max, int padding)
    {
        var layout = new BitLayout();
        if (padding > 0) layout.Bits(padding);
        return [.. Enumerable.Range(0, count).Select(_ => layout.Bits(BitLayout.WidthFor(max)))];
    }

    public static readonly Property NotFull = new("F", "not every counter at its bound", PropertyKind.State);
    public static readonly Property NoAlarm = new("A", "no counter reaches the alarm value", PropertyKind.Transition);

    public PackedState Initial => default;
    public int StateBits => _counters.Max(c => c.Word * 64 + c.Shift + c.Width);
    public IReadOnlyList<Property> Properties => [NotFull, NoAlarm];

    public int StateViolations(in PackedState s)
    {
        foreach (var c in _counters)
            if (c.Get(s) < max) return 0;
        return 1;
    }

    public void Successors(in PackedState s, List<Transition<string>> into)
    {
        for (int i = 0; i < _counters.Length; i++)
        {
            int v = _counters[i].Get(s);
            if (v < max) into.Add(new Transition<string>(_counters[i].Set(s, v + 1), $"inc {i}", v + 1 == alarm ? 2 : 0));
        }
    }

    public int Value(in PackedState s, int i) => _counters[i].Get(s);

    public bool HasSymmetry => symmetric;

    public PackedState Canonical(in PackedState s)
    {
        if (!symmetric) return s;
        var values = new int[_counters.Length];
        for (int i = 0; i < values.Length; i++) values[i] = _counters[i].Get(s);
        Array.Sort(values);
        var c = s;
        for (int i = 0; i < values.Length; i++) c = _counters[i].Set(c, values[i]);
        return c;
    }
}
