using PageHintVerify.Checker.Cli;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The concurrent system of a configuration: pages, guest vCPUs and host reclaim threads, with every actor's atomic
/// steps at the chosen granularity. <see cref="Successors"/> enumerates every step of every actor from a state in a
/// fixed order (vCPUs, then host threads; pages and choices ascending), which is what makes traces deterministic.
/// </summary>
public sealed class Interleavings
{
    sealed class Vcpu
    {
        public required GuestProgram Program;
        public required int[] Pages;            // the pages it works on, in order (all pages for the any program)
        public BitField Pc, Iteration, Slot, Phase, Choice, ChosenPage, Observed;
    }

    sealed class HostThread
    {
        public BitField Phase, Page, Observed;
    }

    readonly Vcpu[] _vcpus;
    readonly HostThread[] _hosts;
    readonly BitField[] _page, _pin;
    readonly int _iterations;
    readonly byte[] _stateViolations; // per 17-bit page value: the state invariants it violates

    public Configuration Configuration { get; }
    public Protocol Protocol { get; }
    public Granularity Granularity => Configuration.Granularity;
    public int StateBits { get; }
    public int ActorCount => _vcpus.Length + _hosts.Length;
    public int PageCount => _page.Length;

    public Interleavings(Configuration config, Protocol protocol)
    {
        Configuration = config.Validate();
        Protocol = protocol;
        _iterations = config.Iterations;
        var layout = new BitLayout();
        bool split = config.Granularity != Granularity.Atomic;

        _page = new BitField[config.Pages];
        _pin = new BitField[config.Pages];
        for (int p = 0; p < config.Pages; p++)
        {
            _page[p] = layout.Bits(PageState.BitWidth);
            _pin[p] = layout.Bits(config.Granularity == Granularity.Cas ? 1 : 0);
        }

        int n = config.VcpuCount;
        _vcpus = new Vcpu[n];
        for (int v = 0; v < n; v++)
        {
            var program = config.Program switch
            {
                ProgramKind.PageCache => GuestProgram.PageCache(ignoreResults: false),
                ProgramKind.IgnoreResults => GuestProgram.PageCache(ignoreResults: true),
                ProgramKind.Any => GuestProgram.Any,
                _ => GuestProgram.Scripted(config.Scripts![v], config.Pages, $"vCPU {v} script"),
            };
            int[] pages = program.AnyPage || config.Program == ProgramKind.Scripted
                ? Enumerable.Range(0, config.Pages).ToArray()
                : Enumerable.Range(0, config.Pages).Where(p => p % n == v).ToArray();
            var cpu = new Vcpu { Program = program, Pages = pages };
            cpu.Pc = layout.ForValues(program.Done);
            if (program.IterationBoundary >= 0)
            {
                cpu.Iteration = layout.ForValues(config.Iterations - 1);
                cpu.Slot = layout.ForValues(pages.Length - 1);
            }
            if (split)
            {
                cpu.Phase = layout.ForValues((int)Exploration.Phase.StoreData);
                cpu.Choice = layout.ForValues(program.Steps.Max(s => s.Length) - 1);
                if (program.AnyPage) cpu.ChosenPage = layout.ForValues(config.Pages - 1);
                cpu.Observed = layout.Bits(6);
            }
            _vcpus[v] = cpu;
        }

        _hosts = new HostThread[config.HostThreads];
        for (int h = 0; h < _hosts.Length; h++)
            _hosts[h] = split
                ? new HostThread { Phase = layout.Bits(1), Page = layout.ForValues(config.Pages - 1), Observed = layout.Bits(6) }
                : new HostThread();
        StateBits = layout.BitsUsed;

        _stateViolations = new byte[1 << PageState.BitWidth];
        for (uint b = 0; b < _stateViolations.Length; b++)
            _stateViolations[b] = (byte)InvariantTable.StateInvariants.Violations(StepFacts.OfState(new PageState(b)));
    }

    /// <summary>All pages Uz with zero disk and want ⊥; every vCPU at the start of its program; every host idle.</summary>
    public PackedState Initial
    {
        get
        {
            var s = new PackedState(0, 0);
            foreach (var f in _page) s = f.Set(s, (int)PageState.Initial.Bits);
            foreach (var v in _vcpus)
                if (v.Pages.Length == 0) s = v.Pc.Set(s, v.Program.Done);
            return s;
        }
    }

    public PageState Page(in PackedState s, int p) => new((uint)_page[p].Get(s));
    public bool Pinned(in PackedState s, int p) => _pin[p].Get(s) != 0;
    PageWord Word(in PackedState s, int p) => PageWord.Of(Page(s, p)).WithPin(Pinned(s, p));
    PackedState WithPage(in PackedState s, int p, PageState page, bool pinned) => _pin[p].Set(_page[p].Set(s, (int)page.Bits), pinned ? 1 : 0);

    /// <summary>The state invariants a state violates, as a mask over <see cref="Invariants.All"/>.</summary>
    public int StateViolations(in PackedState s)
    {
        int mask = 0;
        foreach (var f in _page) mask |= _stateViolations[f.Get(s)];
        return Remap(mask, InvariantTable.StateInvariants);
    }

    static int Remap(int tableMask, InvariantTable table)
    {
        int mask = 0;
        for (int i = 0; tableMask != 0; i++, tableMask >>= 1)
            if ((tableMask & 1) != 0) mask |= table.Invariants[i].Bit();
        return mask;
    }

    static int TransitionViolations(in Step step) => step.HasResult
        ? Remap(InvariantTable.TransitionInvariants.Violations(StepFacts.Of(step.Before, step.Op, step.Result, step.After)), InvariantTable.TransitionInvariants)
        : 0;

    /// <summary>What each vCPU does next ("vcpu0: read(1)", "vcpu1: done"), for pictures of the state graph.</summary>
    public string ProgramCounters(in PackedState s)
    {
        var parts = new List<string>();
        for (int v = 0; v < _vcpus.Length; v++)
        {
            var cpu = _vcpus[v];
            int pc = cpu.Pc.Get(s);
            var phase = (Phase)cpu.Phase.Get(s);
            string next = pc >= cpu.Program.Done ? "done"
                : phase == Phase.Whole ? string.Join("|", cpu.Program.Steps[pc].Select(c => c.Op.ToString()).Distinct())
                : $"{cpu.Program.Steps[pc][cpu.Choice.Get(s)].Op} after {phase.ToString().ToLowerInvariant()}";
            parts.Add($"{ActorName(v)}: {next}");
        }
        return string.Join(", ", parts);
    }

    public string ActorName(int actor) => actor < _vcpus.Length ? $"vcpu{actor}" : $"host{actor - _vcpus.Length}";

    /// <summary>Every step every actor can take from <paramref name="s"/>, in a fixed order.</summary>
    public void Successors(in PackedState s, List<Successor> into)
    {
        for (int v = 0; v < _vcpus.Length; v++) GuestSteps(s, v, into);
        for (int h = 0; h < _hosts.Length; h++) HostSteps(s, h, into);
    }

    void Emit(List<Successor> into, PackedState next, Step step) => into.Add(new Successor(next, step, TransitionViolations(step)));

    static bool IsSplit(Operation op) => op <= Operation.SetVolatileWritable || op == Operation.Write;

    void GuestSteps(in PackedState s, int v, List<Successor> into)
    {
        var cpu = _vcpus[v];
        int pc = cpu.Pc.Get(s);
        if (pc >= cpu.Program.Done) return;
        var phase = (Phase)cpu.Phase.Get(s);
        var choices = cpu.Program.Steps[pc];
        if (phase == Phase.Whole)
        {
            for (int c = 0; c < choices.Length; c++)
            {
                var choice = choices[c];
                if (choice.Page >= 0) Start(s, v, c, choice.Page, into);
                else if (cpu.Program.AnyPage) foreach (var p in cpu.Pages) Start(s, v, c, p, into);
                else Start(s, v, c, cpu.Pages[cpu.Slot.Get(s)], into);
            }
            return;
        }
        int ci = cpu.Choice.Get(s);
        var chosen = choices[ci];
        int page = chosen.Page >= 0 ? chosen.Page : cpu.Program.AnyPage ? cpu.ChosenPage.Get(s) : cpu.Pages[cpu.Slot.Get(s)];
        switch (phase)
        {
            case Phase.Retry: Load(s, v, ci, page, into); break;
            case Phase.Load: Commit(s, v, chosen, page, into); break;
            case Phase.StoreData: StoreData(s, v, chosen, page, into); break;
        }
    }

    void Start(in PackedState s, int v, int c, int page, List<Successor> into)
    {
        var choice = _vcpus[v].Program.Steps[_vcpus[v].Pc.Get(s)][c];
        if (Granularity != Granularity.Atomic && IsSplit(choice.Op.Op)) { Load(s, v, c, page, into); return; }
        if (Granularity == Granularity.Cas && Pinned(s, page)) return; // atomic accesses wait for a writer to finish
        var before = Page(s, page);
        var (after, result) = PageMachine.Apply(Protocol, before, choice.Op);
        var next = Advance(WithPage(s, page, after, Pinned(s, page)), v, choice, result.Outcome);
        Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Whole, result, before, after));
    }

    void Load(in PackedState s, int v, int c, int page, List<Successor> into)
    {
        var cpu = _vcpus[v];
        var choice = cpu.Program.Steps[cpu.Pc.Get(s)][c];
        var word = Word(s, page);
        if (Granularity == Granularity.Cas && CasAlgorithm.Decide(Protocol, word, choice.Op).Wait) return;
        var next = cpu.Phase.Set(s, (int)Phase.Load);
        next = cpu.Choice.Set(next, c);
        next = cpu.ChosenPage.Set(next, page);
        next = cpu.Observed.Set(next, (int)word.Abstract.Bits);
        var page0 = Page(s, page);
        Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Load, new OpResult(page0.GH, Outcome.Ok), page0, page0));
    }

    void Commit(in PackedState s, int v, Choice choice, int page, List<Successor> into)
    {
        var cpu = _vcpus[v];
        var before = Page(s, page);
        var observed = new PageWord((uint)cpu.Observed.Get(s));
        if (!TryCommit(s, page, observed, choice.Op, out var after, out var result, out bool pin))
        {
            var retry = cpu.Phase.Set(s, (int)Phase.Retry);
            Emit(into, retry, new Step((byte)v, choice.Op, (byte)page, Phase.Retry, new OpResult(observed.GH, Outcome.Ok), before, before));
            return;
        }
        var next = WithPage(s, page, after, pin);
        next = choice.Op.Op == Operation.Write && result.Outcome == Outcome.Ok
            ? cpu.Phase.Set(next, (int)Phase.StoreData)
            : Advance(next, v, choice, result.Outcome);
        Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Commit, result, before, after));
    }

    /// <summary>
    /// The store half of a split operation. Naive stores what it decided from the loaded word over whatever is there now;
    /// cas swaps only if the word is still the one it loaded (<see cref="CasAlgorithm"/>, shared with the lock-free table).
    /// </summary>
    bool TryCommit(in PackedState s, int page, PageWord observed, PageOp op, out PageState after, out OpResult result, out bool pin)
    {
        var current = Page(s, page);
        if (Granularity == Granularity.Naive)
        {
            (after, result) = PageMachine.Begin(Protocol, observed.Over(current), op);
            pin = false;
            return true;
        }
        if (Word(s, page).Abstract != observed) { after = current; result = default; pin = false; return false; }
        var decision = CasAlgorithm.Decide(Protocol, observed, op);
        (after, result) = PageMachine.Begin(Protocol, current, op);
        pin = decision.StoresData;
        return true;
    }

    void StoreData(in PackedState s, int v, Choice choice, int page, List<Successor> into)
    {
        var before = Page(s, page);
        var after = PageMachine.StoreData(before, choice.Op.Cell);
        // The data is in: the pin is released (CasAlgorithm.Release); naive never pinned.
        var next = Advance(WithPage(s, page, after, pinned: false), v, choice, Outcome.Ok);
        Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.StoreData, new OpResult(before.GH, Outcome.Ok), before, after));
    }

    /// <summary>Moves the vCPU's program on after an operation finished with <paramref name="outcome"/>.</summary>
    PackedState Advance(in PackedState s, int v, Choice choice, Outcome outcome)
    {
        var cpu = _vcpus[v];
        var program = cpu.Program;
        int pc = outcome == Outcome.Failed ? choice.NextIfFailed : choice.Next;
        var next = cpu.Phase.Set(s, 0);
        next = cpu.Choice.Set(next, 0);
        next = cpu.ChosenPage.Set(next, 0);
        next = cpu.Observed.Set(next, 0);
        if (pc == program.IterationBoundary)
        {
            int iteration = cpu.Iteration.Get(s) + 1;
            if (iteration < _iterations) return cpu.Pc.Set(cpu.Iteration.Set(next, iteration), pc);
            int slot = cpu.Slot.Get(s) + 1;
            next = cpu.Iteration.Set(next, 0);
            return slot < cpu.Pages.Length ? cpu.Pc.Set(cpu.Slot.Set(next, slot), 0) : cpu.Pc.Set(next, program.Done);
        }
        return cpu.Pc.Set(next, pc);
    }

    static readonly PageOp Reclaim = new(Operation.HostReclaim);

    void HostSteps(in PackedState s, int h, List<Successor> into)
    {
        var host = _hosts[h];
        byte actor = (byte)(_vcpus.Length + h);
        if (host.Phase.Get(s) == 0)
        {
            for (int p = 0; p < _page.Length; p++)
            {
                var before = Page(s, p);
                var (after, result) = PageMachine.Begin(Protocol, before, Reclaim);
                if (result.Outcome == Outcome.NotEnabled || !Configuration.HostMay(HostActions.For(before.G))) continue;
                if (Granularity == Granularity.Atomic)
                {
                    Emit(into, WithPage(s, p, after, false), new Step(actor, Reclaim, (byte)p, Phase.Whole, result, before, after));
                    continue;
                }
                var word = Word(s, p);
                if (Granularity == Granularity.Cas && CasAlgorithm.Decide(Protocol, word, Reclaim).Wait) continue;
                var loaded = host.Observed.Set(host.Page.Set(host.Phase.Set(s, 1), p), (int)word.Abstract.Bits);
                Emit(into, loaded, new Step(actor, Reclaim, (byte)p, Phase.Load, new OpResult(before.GH, Outcome.Ok), before, before));
            }
            return;
        }
        int page = host.Page.Get(s);
        var observed = new PageWord((uint)host.Observed.Get(s));
        var idle = host.Observed.Set(host.Page.Set(host.Phase.Set(s, 0), 0), 0);
        var current = Page(s, page);
        if (!TryCommit(s, page, observed, Reclaim, out var next, out var res, out _))
        {
            // The swap failed: the reclaim thread gives up on this page and may pick any page again.
            Emit(into, idle, new Step(actor, Reclaim, (byte)page, Phase.Retry, new OpResult(observed.GH, Outcome.Ok), current, current));
            return;
        }
        Emit(into, WithPage(idle, page, next, false), new Step(actor, Reclaim, (byte)page, Phase.Commit, res, current, next));
    }
}
