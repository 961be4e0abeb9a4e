using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration.Granularities;

/// <summary>
/// The <c>atomic</c> granularity: every operation of SPEC section 3, a host's reclaim included, is one step with the
/// page machine's outcome. An actor adds nothing to its block: between steps it is never inside an operation.
/// </summary>
sealed class AtomicSteps(Interleavings system) : GranularitySteps(system)
{
    public override bool Splits => false;
    public override int VcpuPhaseBits => 0;
    public override int HostPhaseBits => 0;

    public override void Start(in PackedState s, int v, int c, Choice choice, int page, List<Successor> into) =>
        Whole(s, v, choice, page, into);

    public override void HostSteps(in PackedState s, int h, List<Successor> into)
    {
        for (int p = 0; p < System.PageCount; p++)
        {
            var before = System.Page(s, p);
            if (!MayReclaim(before)) continue;
            foreach (var (after, result) in System.Outcomes(before, Reclaim, begin: true))
                System.Emit(into, System.WithPage(s, p, after, false), new Step(HostActor(h), Reclaim, (byte)p, Phase.Whole, result, before, after));
        }
    }
}
