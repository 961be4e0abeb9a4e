using System.Runtime.CompilerServices;

namespace PageHintVerify.Model;

/// <summary>
/// Which edge an operation follows at each point where a nondeterministic protocol offers several: one pick per
/// choice point, in the order the operation meets them (a reload meets up to four). <see cref="PageMachine"/> asks
/// <see cref="Pick"/> at every edge look-up; to enumerate every outcome it runs the operation once per combination,
/// odometer style, as a stateless model checker enumerates schedules. A deterministic protocol meets no choice point,
/// so this costs it nothing.
/// </summary>
public struct Choices
{
    const int MaxPoints = 8;

    [InlineArray(MaxPoints)]
    struct Digits { int _element; }

    Digits _picked, _options;
    int _depth, _at;
    bool _enumerating;

    /// <summary>Choices that start at the first combination and move on with <see cref="Advance"/>.</summary>
    public static Choices Enumerating() => new() { _enumerating = true };

    /// <summary>
    /// The option to take at the next choice point among <paramref name="options"/> (at least 1). Outside an enumeration
    /// a second option is an error: the caller assumed a deterministic protocol.
    /// </summary>
    public int Pick(int options, Protocol protocol, GuestHostState from, Operation op)
    {
        if (options <= 1) return 0;
        if (!_enumerating)
            throw new InvalidOperationException(
                $"protocol {protocol.Name} is nondeterministic at {from} {op.Name()}: enumerate its outcomes (PageMachine.Outcomes)");
        if (_at == _depth)
        {
            if (_depth == MaxPoints) throw new InvalidOperationException($"an operation met more than {MaxPoints} choice points");
            _picked[_at] = 0;
            _options[_at] = options;
            _depth++;
        }
        return _picked[_at++];
    }

    /// <summary>Moves to the next combination of the choice points met last; false when every one has been taken.</summary>
    public bool Advance()
    {
        _at = 0;
        while (_depth > 0)
        {
            int last = _depth - 1;
            if (++_picked[last] < _options[last]) return true;
            _depth--;
        }
        return false;
    }
}
