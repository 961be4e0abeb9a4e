namespace PageHintVerify.Model;

/// <summary>One assumption of a proof, written in the invariants' own formula language.</summary>
public sealed record Assumption(string Id, string Name, Formula Holds)
{
    public override string ToString() => $"{Id} {Name}";
}

/// <summary>
/// What a correct guest kernel does before each single-page step (SPEC section 3, "Guest discipline"), as preconditions
/// over the page before the step and the operation. "Treats a failed set_stable_if_present as discarded" is about the
/// next steps, not one step: I2 covers it, because a read of a discarded page must fault.
/// </summary>
public static class GuestDiscipline
{
    static Term G => Term.Of(Var.G, 0, Moment.Pre);
    static Term Op => Term.Of(Var.Op);
    static Formula Is(Operation o) => Op == Term.Const((int)o);
    static Formula GuestIs(GuestState g) => G == Term.Const((int)g);

    /// <summary>
    /// <see cref="PageState.Content"/> of the page before the step. Spelled apart from I1's <c>content</c> (r or p ⇒ mem):
    /// the two agree on every encodable page, but the formula's shape steers which witness Z3 prints, and `prove` output is pinned.
    /// </summary>
    static Term Content(int c) =>
        Term.If(Term.Of(Var.H, 0, Moment.Pre) == Term.Const((int)HostState.Zero), Term.Const(0), Term.Of(Var.Mem, c, Moment.Pre));

    public static readonly IReadOnlyList<Assumption> Preconditions =
    [
        new("D1", "sets a page volatile only after writeback: content equals disk",
            Formula.Implies(Is(Operation.SetVolatile) | Is(Operation.SetVolatileWritable),
                Formula.ForAllCells(c => Content(c) == Term.Of(Var.Disk, c, Moment.Pre)))),
        new("D2", "makes a volatile page stable again only with set_stable_if_present",
            Formula.Implies(Is(Operation.SetStable), !GuestIs(GuestState.Volatile) & !GuestIs(GuestState.PotentiallyVolatile))),
        // A P page the host discarded clean is Vz; the guest cannot tell it from the P page it still believes it has.
        new("D3", "writes only to S and P pages (a discarded P page is Vz)",
            Formula.Implies(Is(Operation.Write), GuestIs(GuestState.Stable) | GuestIs(GuestState.PotentiallyVolatile)
                | (GuestIs(GuestState.Volatile) & (Term.Of(Var.H, 0, Moment.Pre) == Term.Const((int)HostState.Zero))))),
        new("D4", "writes back only S and P pages",
            Formula.Implies(Is(Operation.Writeback), GuestIs(GuestState.Stable) | GuestIs(GuestState.PotentiallyVolatile))),
        new("D5", "never reads U pages", Formula.Implies(Is(Operation.Read), !GuestIs(GuestState.Unused))),
    ];
}
