using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PageHintVerify.Schedules;

/// <summary>
/// The arrays an execution's shared state lives in, registered before it runs, so that an access through a
/// <c>ref</c> can be named by array and element. Two accesses to different elements commute; an access to memory no
/// array holds is <see cref="Access.Unknown"/> and conflicts with every write. Registering the same arrays in the same
/// order in every execution gives every location the same index in every execution.
/// </summary>
public sealed class SharedLocations
{
    readonly List<Region> _regions = [];
    int _count;

    sealed record Region(Array Array, int ElementSize, int Length, int First, Func<int, string> Name, Func<ulong, string> Value, Func<int, ulong> Peek);

    /// <summary>
    /// Registers every element of <paramref name="array"/>; <paramref name="name"/> names element i in traces and
    /// <paramref name="value"/> writes a value it holds (by default as a number).
    /// </summary>
    public void Add<T>(T[] array, Func<int, string> name, Func<ulong, string>? value = null) where T : unmanaged, IConvertible
    {
        _regions.Add(new Region(array, Unsafe.SizeOf<T>(), array.Length, _count, name, value ?? (v => v.ToString()),
            i => array[i].ToUInt64(null)));
        _count += array.Length;
    }

    /// <summary>The location of <paramref name="element"/>, or <see cref="Access.Unknown"/>.</summary>
    public int Locate<T>(ref T element) where T : unmanaged
    {
        ref byte target = ref Unsafe.As<T, byte>(ref element);
        foreach (var r in _regions)
        {
            // Both refs are into the same object when the element is in this array, so a collection moves them together.
            nint offset = Unsafe.ByteOffset(ref MemoryMarshal.GetArrayDataReference(r.Array), ref target);
            if (offset >= 0 && offset < (nint)r.Length * r.ElementSize && offset % r.ElementSize == 0)
                return r.First + (int)(offset / r.ElementSize);
        }
        return Access.Unknown;
    }

    public string Name(int location) => Find(location) is { } r ? r.Name(location - r.First) : "memory";

    /// <summary>A value the location held, as its registration writes it.</summary>
    public string Value(int location, ulong value) => Find(location) is { } r ? r.Value(value) : value.ToString();

    /// <summary>What a known location holds now (the scheduler's look, not an access of any thread).</summary>
    public ulong Peek(int location) => Find(location) is { } r ? r.Peek(location - r.First) : throw new ArgumentOutOfRangeException(nameof(location));

    Region? Find(int location) => _regions.FirstOrDefault(r => location >= r.First && location < r.First + r.Length);
}
