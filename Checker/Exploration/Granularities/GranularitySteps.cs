using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Exploration.Granularities;

/// <summary>
/// How finely one granularity splits an operation into steps (SPEC section 6): the fields it adds to the page and actor
/// blocks of <see cref="Interleavings"/>, and its guest and host steps. The system owns the rest: pages, programs,
/// memoization, symmetry. The step table calls these rules once per (actor, local state, page block), so they are off
/// the search's hot path.
/// </summary>
abstract class GranularitySteps(Interleavings system)
{
    protected readonly Interleavings System = system;

    /// <summary>The rules of <paramref name="granularity"/>: the one place the configuration's value picks them.</summary>
    public static GranularitySteps For(Granularity granularity, Interleavings system, IPageAlgorithm algorithm) => granularity switch
    {
        Granularity.Atomic => new AtomicSteps(system),
        Granularity.Naive => new NaiveSteps(system),
        _ => new CasSteps(system, algorithm),
    };

    /// <summary>Whether an operation takes more than one step: a vCPU then keeps its choice (and, for the any program,
    /// its page) and a host the page it works on.</summary>
    public virtual bool Splits => true;

    /// <summary>Bits of a vCPU's and of a host's <see cref="Interleavings.Vcpu.Phase"/>: where its operation is.</summary>
    public abstract int VcpuPhaseBits { get; }
    public abstract int HostPhaseBits { get; }

    /// <summary>Bits an actor keeps from one step of an operation to the next (<see cref="Interleavings.Vcpu.Observed"/>).</summary>
    public virtual int ObservedBits => 0;

    /// <summary>Whether each page keeps a pin bit and one bit per actor holding a current load of it (cas). An actor's
    /// steps then depend on its own load bit, so no two actors share memoized steps.</summary>
    public virtual bool TracksLoads => false;

    /// <summary>vCPU <paramref name="v"/>, idle, starts choice <paramref name="c"/> of its program point on <paramref name="page"/>.</summary>
    public abstract void Start(in PackedState s, int v, int c, Choice choice, int page, List<Successor> into);

    /// <summary>The next step of vCPU <paramref name="v"/>, whose operation <paramref name="chosen"/> on <paramref name="page"/> is under way.</summary>
    public virtual void Continue(in PackedState s, int v, Choice chosen, int page, List<Successor> into) { }

    /// <summary>Every step of host thread <paramref name="h"/>.</summary>
    public abstract void HostSteps(in PackedState s, int h, List<Successor> into);

    /// <summary>Where an operation under way is, after its operation's name in a program counter ("at swap", "at store").</summary>
    public virtual string Underway(int phase) => "";

    protected static readonly PageOp Reclaim = new(Operation.HostReclaim);

    protected byte HostActor(int h) => (byte)(System.VcpuCount + h);

    /// <summary>Whether a host may start reclaiming a page in this guest state: this configuration's host acts on it,
    /// and the protocol has a reclaim edge from it.</summary>
    protected bool MayReclaim(PageState before) =>
        System.Configuration.HostMay(HostActions.For(before.G))
        && System.Outcomes(before, Reclaim, begin: true)[0].Result.Outcome != Outcome.NotEnabled;

    /// <summary>The operation as one step, one successor per outcome the protocol allows.</summary>
    protected void Whole(in PackedState s, int v, Choice choice, int page, List<Successor> into)
    {
        var before = System.Page(s, page);
        foreach (var (after, result) in System.Outcomes(before, choice.Op, begin: false))
        {
            var next = System.Advance(System.WithPage(s, page, after, System.Pinned(s, page)), v, choice, result.Outcome);
            System.Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Whole, result, before, after));
        }
    }
}
