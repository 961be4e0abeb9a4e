using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The page-hinting system as the engine sees it: <see cref="Interleavings"/> behind <see cref="ITransitionSystem{TStep}"/>,
/// with SPEC's invariants as its properties (in <see cref="Invariants.All"/> order, so a property's index is its
/// invariant's bit). A struct, so that a search over it is compiled for it and calls the step table directly.
/// </summary>
public readonly struct PageSystem(Interleavings system) : ITransitionSystem<Step>
{
    /// <summary>SPEC's invariants as engine properties, index for index.</summary>
    public static readonly IReadOnlyList<Property> SpecInvariants = [.. Model.Invariants.All.Select(i =>
        new Property(i.Id, i.Name, i.Kind == InvariantKind.State ? PropertyKind.State : PropertyKind.Transition))];

    public Interleavings System => system;
    public PackedState Initial => system.Initial;
    public int StateBits => system.StateBits;
    public IReadOnlyList<Property> Properties => SpecInvariants;
    public int StateViolations(in PackedState s) => system.StateViolations(s);
    public void Expand(in PackedState s, Expansion into) => system.Expand(s, into);
    public void Prefetch(in PackedState s) => system.Prefetch(s);
    public bool HasSymmetry => system.HasSymmetry;
    public PackedState Canonical(in PackedState s) => system.Canonical(s);
    public long MemoBytes => system.MemoBytes;

    public void Successors(in PackedState s, List<Successor> into) => system.Successors(s, into);
}
