using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Exploration.Granularities;

/// <summary>
/// The <c>naive</c> granularity: usage-state changes, host reclaim and writes load the page's word, then store what
/// they decided from it over whatever is there by then (<see cref="Phase.Store"/>), and a write stores its data after
/// (<see cref="Phase.StoreData"/>); every other operation is one step. An actor keeps, between its steps, where its
/// operation is (<see cref="Phase"/>) and the word it loaded.
/// </summary>
sealed class NaiveSteps(Interleavings system) : GranularitySteps(system)
{
    /// <summary>The loaded word: its abstract bits (<see cref="PageWord.Abstract"/>, state and pin).</summary>
    public const int LoadedWordBits = 6;

    public override int VcpuPhaseBits => BitLayout.WidthFor((int)Phase.StoreData);
    public override int HostPhaseBits => 1; // idle, or loaded
    public override int ObservedBits => LoadedWordBits;

    internal static bool IsSplit(Operation op) => op <= Operation.SetVolatileWritable || op == Operation.Write;

    /// <summary>The step a vCPU takes next: the store after its load, then a write's data store.</summary>
    public override string Underway(int phase) => $"at {StepText.Name((Phase)phase == Phase.Load ? Phase.Store : Phase.StoreData)}";

    public override void Start(in PackedState s, int v, int c, Choice choice, int page, List<Successor> into)
    {
        if (!IsSplit(choice.Op.Op)) { Whole(s, v, choice, page, into); return; }
        var cpu = System.VcpuOf(v);
        var word = System.Word(s, page);
        var next = cpu.Phase.Set(s, (int)Phase.Load);
        next = cpu.Choice.Set(next, c);
        next = cpu.ChosenPage.Set(next, page);
        next = cpu.Observed.Set(next, (int)word.Abstract.Bits);
        var page0 = System.Page(s, page);
        System.Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Load, new OpResult(page0.GH, Outcome.Ok), page0, page0));
    }

    public override void Continue(in PackedState s, int v, Choice chosen, int page, List<Successor> into)
    {
        switch ((Phase)System.VcpuOf(v).Phase.Get(s))
        {
            case Phase.Load: Store(s, v, chosen, page, into); break;
            case Phase.StoreData: StoreData(s, v, chosen, page, into); break;
        }
    }

    void Store(in PackedState s, int v, Choice choice, int page, List<Successor> into)
    {
        var cpu = System.VcpuOf(v);
        var before = System.Page(s, page);
        var observed = new PageWord((uint)cpu.Observed.Get(s));
        foreach (var (after, result) in Commits(s, page, observed, choice.Op))
        {
            bool storesData = CasAlgorithm.OwesDataStore(choice.Op, result.Outcome);
            var next = System.WithPage(s, page, after, pinned: false);
            next = storesData ? cpu.Phase.Set(next, (int)Phase.StoreData) : System.Advance(next, v, choice, result.Outcome);
            System.Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Store, result, before, after));
        }
    }

    /// <summary>
    /// The store half of a split operation: the page after it and the result, one per outcome the protocol allows.
    /// Naive stores the word it decided from the loaded one over whatever is there now, but only when that decision
    /// changes the word: an operation that faults or finds nothing to change has nothing to store.
    /// </summary>
    List<(PageState Next, OpResult Result)> Commits(in PackedState s, int page, PageWord observed, PageOp op)
    {
        var current = System.Page(s, page);
        var stale = observed.Over(current);
        var decided = System.Outcomes(stale, op, begin: true);
        // Nothing changed at all (a fault, a no-op): nothing to store. A step that changes only the ghost (a lost
        // write sets want) still changes it over what is there now.
        for (int i = 0; i < decided.Count; i++)
            if (decided[i].Next == stale) decided[i] = (current, decided[i].Result);
        return decided;
    }

    void StoreData(in PackedState s, int v, Choice choice, int page, List<Successor> into)
    {
        var before = System.Page(s, page);
        var after = PageMachine.StoreData(before, choice.Op.Cell);
        var next = System.Advance(System.WithPage(s, page, after, pinned: false), v, choice, Outcome.Ok);
        System.Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.StoreData, new OpResult(before.GH, Outcome.Ok), before, after));
    }

    public override void HostSteps(in PackedState s, int h, List<Successor> into)
    {
        var host = System.HostOf(h);
        byte actor = HostActor(h);
        if (host.Phase.Get(s) == 0)
        {
            for (int p = 0; p < System.PageCount; p++)
            {
                var before = System.Page(s, p);
                if (!MayReclaim(before)) continue;
                var word = System.Word(s, p);
                var loaded = host.Observed.Set(host.Page.Set(host.Phase.Set(s, 1), p), (int)word.Abstract.Bits);
                System.Emit(into, loaded, new Step(actor, Reclaim, (byte)p, Phase.Load, new OpResult(before.GH, Outcome.Ok), before, before));
            }
            return;
        }
        int page = host.Page.Get(s);
        var observed = new PageWord((uint)host.Observed.Get(s));
        var idle = host.Observed.Set(host.Page.Set(host.Phase.Set(s, 0), 0), 0);
        var current = System.Page(s, page);
        foreach (var (next, res) in Commits(s, page, observed, Reclaim))
            System.Emit(into, System.WithPage(idle, page, next, false), new Step(actor, Reclaim, (byte)page, Phase.Store, res, current, next));
    }
}
