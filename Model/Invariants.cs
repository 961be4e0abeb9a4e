namespace PageHintVerify.Model;

/// <summary>State invariants hold in every explored state; transition invariants hold on every step (SPEC section 4).</summary>
public enum InvariantKind : byte { State, Transition }

/// <summary>
/// One invariant of SPEC section 4, written once as a <see cref="Formula"/> over one page's fields. The checker evaluates it
/// through <see cref="InvariantTable"/>; the Z3 encoder translates the same formula. There is no second copy.
/// </summary>
public sealed record Invariant(string Id, InvariantKind Kind, string Name, Formula Holds, bool GuestDiscipline)
{
    public override string ToString() => $"{Id} {Name}";
}

/// <summary>The invariants of SPEC section 4, in the SPEC's words.</summary>
public static class Invariants
{
    static readonly Term U = Term.Const((int)GuestState.Unused), S = Term.Const((int)GuestState.Stable),
        V = Term.Const((int)GuestState.Volatile), P = Term.Const((int)GuestState.PotentiallyVolatile),
        r = Term.Const((int)HostState.Resident), p = Term.Const((int)HostState.Preserved), z = Term.Const((int)HostState.Zero),
        Bottom = Term.Const(PageState.Bottom), Zero = Term.Const(0), One = Term.Const(1);

    static Term G => Term.Of(Var.G);
    static Term H => Term.Of(Var.H);
    static Term Dirty => Term.Of(Var.Dirty);
    static Term Mem(int c) => Term.Of(Var.Mem, c);
    static Term Disk(int c) => Term.Of(Var.Disk, c);
    static Term Want(int c) => Term.Of(Var.Want, c);
    static Term WantBefore(int c) => Term.Of(Var.Want, c, Moment.Pre);
    static Term Op => Term.Of(Var.Op);
    static Term Cell => Term.Of(Var.Cell);
    static Term Result => Term.Of(Var.Outcome);
    static Term Value => Term.Of(Var.Value);
    static Term Is(Operation o) => Term.Const((int)o);
    static Term Is(Outcome o) => Term.Const((int)o);
    static Formula Implies(Formula condition, Formula consequence) => Formula.Implies(condition, consequence);

    /// <summary>SPEC I1's <c>content</c>: <c>mem</c> when the host holds the page (r or p), else 0.</summary>
    static Term Content(int c) => Term.If((H == r) | (H == p), Mem(c), Zero);

    public static readonly Invariant I1 = new("I1", InvariantKind.State, "no data loss from a stable page",
        Formula.ForAllCells(c => Implies(((G == S) | ((G == P) & (Dirty == One))) & (Want(c) != Bottom), Content(c) == Want(c))),
        GuestDiscipline: false);

    public static readonly Invariant I2 = new("I2", InvariantKind.Transition, "no silent read of discarded content",
        Formula.ForAllCells(c => Implies((Op == Is(Operation.Read)) & (Cell == Term.Const(c)) & (Result == Is(Outcome.Ok)),
            (Value == WantBefore(c)) | (WantBefore(c) == Bottom))),
        GuestDiscipline: false);

    public static readonly Invariant I3 = new("I3", InvariantKind.State, "well-formed state",
        (((G == U) & (H != p)) | (G == S) | ((G == V) & (H != p)) | ((G == P) & (H == r)))
        & Implies(H == z, (Mem(0) == Zero) & (Mem(1) == Zero) & (Dirty == Zero))
        & Implies(H == p, Dirty == Zero),
        GuestDiscipline: false);

    public static readonly Invariant I4 = new("I4", InvariantKind.State, "volatile pages are recreatable",
        Formula.ForAllCells(c => Implies(((G == V) | ((G == P) & (Dirty == Zero))) & (Want(c) != Bottom), Disk(c) == Want(c))),
        GuestDiscipline: true);

    public static readonly Invariant I5 = new("I5", InvariantKind.Transition, "no access to unused pages",
        Implies((Op == Is(Operation.Read)) | (Op == Is(Operation.Write)) | (Op == Is(Operation.Writeback)), Result != Is(Outcome.UnusedAccess)),
        GuestDiscipline: true);

    /// <summary>I1–I5 in SPEC order; an invariant's position here is its bit in violation masks.</summary>
    public static readonly IReadOnlyList<Invariant> All = [I1, I2, I3, I4, I5];

    /// <summary>The invariant with this id ("I1" … "I5"), or null.</summary>
    public static Invariant? Find(string? id) => All.FirstOrDefault(i => i.Id == id);

    /// <summary>The invariant's bit in violation masks: its position in <see cref="All"/>.</summary>
    public static int Bit(this Invariant inv)
    {
        for (int i = 0; i < All.Count; i++)
            if (ReferenceEquals(All[i], inv)) return 1 << i;
        throw new ArgumentException($"{inv.Id} is not one of Invariants.All", nameof(inv));
    }
}
