using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration.Granularities;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The concurrent system of a configuration: pages, guest vCPUs and host reclaim threads, with every actor's atomic
/// steps at the chosen granularity (its rules: <see cref="GranularitySteps"/>). <see cref="Successors"/> enumerates
/// every step of every actor from a state in a fixed order (vCPUs, then host threads; pages and choices ascending),
/// which is what makes traces deterministic. Symmetry and the memoized expansion are in partial files beside this one.
/// </summary>
public sealed partial class Interleavings
{
    /// <summary>A guest vCPU's program and the fields of its block: where it is in its program, and (at a granularity
    /// that splits operations, see <see cref="GranularitySteps"/>) where it is in its operation.</summary>
    internal sealed class Vcpu
    {
        public required GuestProgram Program;
        public required int[] Pages;            // the pages it works on, in order (all pages for the any program)
        public BitField Block;
        public BitField Pc, Iteration, PageIndex; // PageIndex: which of Pages a looping program works on now
        public BitField Phase, Choice, ChosenPage, Observed;
    }

    /// <summary>A host reclaim thread's block: where it is in its reclaim, of which page, and what it keeps between steps.</summary>
    internal sealed class HostThread
    {
        public BitField Block, Phase, Page, Observed;
    }

    /// <summary>The widest actor block: <see cref="BitField.Get"/> returns it as a non-negative int.</summary>
    const int MaxLocalBits = 31;

    readonly Vcpu[] _vcpus;
    readonly HostThread[] _hosts;
    readonly BitField[] _page, _pin, _pageBlock;
    readonly BitField[] _loads;         // cas: per page, one bit per actor holding a load of it that no write has outdated
    readonly int[] _loadBit;            // per (actor, page): the actor's bit in the page's loads, or -1 if it never loads the page
    readonly GranularitySteps _rules;
    readonly int _iterations;
    readonly byte[] _stateViolations; // per 17-bit page value: the state invariants it violates, as Invariants.All bits
    readonly BitField[] _actorBlock;
    readonly ulong[] _keepLow, _keepHigh; // per (actor, page): every bit but the actor's block and the page's block, of PackedState.A and .B
    readonly StepTable _steps;
    readonly int[] _twin;                // per actor: the first earlier actor with the same steps (same program and pages), or -1

    public Configuration Configuration { get; }
    public Protocol Protocol { get; }
    public int StateBits { get; }
    public int ActorCount => _vcpus.Length + _hosts.Length;
    public int PageCount => _page.Length;
    internal int VcpuCount => _vcpus.Length;

    /// <param name="algorithm">What the <c>cas</c> granularity's table decides from a loaded word; the lock-free
    /// table's own <see cref="CasAlgorithm"/> unless given.</param>
    public Interleavings(Configuration config, Protocol protocol, IPageAlgorithm? algorithm = null)
    {
        Configuration = config.Validate();
        Protocol = protocol;
        _rules = GranularitySteps.For(config.Granularity, this, algorithm ?? CasAlgorithm.Instance);
        _iterations = config.Iterations;
        var layout = new BitLayout();
        bool split = _rules.Splits, loads = _rules.TracksLoads;

        // Each page with (at cas) its pin and which actors hold a current load of it, and each actor's whole local
        // state, is one contiguous block: a step changes one actor block and one page block, which is what lets the
        // step table memoize steps per (actor, local state, page block).
        _page = new BitField[config.Pages];
        _pin = new BitField[config.Pages];
        _loads = new BitField[config.Pages];
        _pageBlock = new BitField[config.Pages];
        int n = config.VcpuCount, actors = n + config.HostThreads;
        // A page's load bits are for the actors that may load it: its vCPUs (every one, or its page-cache owner) and every host.
        bool everyPage = config.Program is ProgramKind.Any or ProgramKind.Scripted;
        _loadBit = new int[actors * config.Pages];
        for (int p = 0; p < config.Pages; p++)
        {
            int holders = 0;
            for (int a = 0; a < actors; a++)
                _loadBit[a * config.Pages + p] = a >= n || everyPage || p % n == a ? holders++ : -1;
            var parts = layout.Group(out _pageBlock[p], PageState.BitWidth, loads ? 1 : 0, loads ? holders : 0);
            (_page[p], _pin[p], _loads[p]) = (parts[0], parts[1], parts[2]);
        }

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
            bool loop = program.IterationBoundary >= 0;
            var parts = layout.Group(out cpu.Block,
                BitLayout.WidthFor(program.Done),
                loop ? BitLayout.WidthFor(config.Iterations - 1) : 0,
                loop ? BitLayout.WidthFor(pages.Length - 1) : 0,
                _rules.VcpuPhaseBits,
                split ? BitLayout.WidthFor(program.Steps.Max(s => s.Length) - 1) : 0,
                split && program.AnyPage ? BitLayout.WidthFor(config.Pages - 1) : 0,
                _rules.ObservedBits);
            (cpu.Pc, cpu.Iteration, cpu.PageIndex, cpu.Phase, cpu.Choice, cpu.ChosenPage, cpu.Observed) =
                (parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]);
            // A local state is read as a non-negative int and keyed in the step table: it must fit 31 bits, never wrap.
            if (cpu.Block.Width > MaxLocalBits)
                throw new UsageException($"vCPU {v}'s local state needs {cpu.Block.Width} bits, more than {MaxLocalBits}: shorten its program");
            _vcpus[v] = cpu;
        }

        _hosts = new HostThread[config.HostThreads];
        for (int h = 0; h < _hosts.Length; h++)
        {
            var host = new HostThread();
            var parts = layout.Group(out host.Block, _rules.HostPhaseBits, split ? BitLayout.WidthFor(config.Pages - 1) : 0, _rules.ObservedBits);
            (host.Phase, host.Page, host.Observed) = (parts[0], parts[1], parts[2]);
            _hosts[h] = host;
        }
        StateBits = layout.BitsUsed;

        _stateViolations = new byte[1 << PageState.BitWidth];
        for (uint b = 0; b < _stateViolations.Length; b++)
            _stateViolations[b] = (byte)Remap(InvariantTable.StateInvariants.Violations(StepFacts.OfState(new PageState(b))), InvariantTable.StateInvariants);

        _actorBlock = [.. _vcpus.Select(v => v.Block), .. _hosts.Select(h => h.Block)];
        _keepLow = new ulong[ActorCount * PageCount];
        _keepHigh = new ulong[ActorCount * PageCount];
        for (int a = 0; a < ActorCount; a++)
            for (int p = 0; p < PageCount; p++)
            {
                var ones = new PackedState(ulong.MaxValue, ulong.MaxValue);
                var kept = _pageBlock[p].Set(_actorBlock[a].Set(ones, 0), 0);
                (_keepLow[a * PageCount + p], _keepHigh[a * PageCount + p]) = (kept.A, kept.B);
            }
        _steps = new StepTable(Effects);
        _twin = new int[ActorCount];
        for (int a = 0; a < ActorCount; a++)
        {
            _twin[a] = -1;
            // With load bits an actor's steps also depend on its own bit in the page's loads: twins' steps differ there.
            for (int b = 0; b < a && _twin[a] < 0 && !loads; b++)
                if (a < _vcpus.Length ? Interchangeable(_vcpus[a], _vcpus[b]) : b >= _vcpus.Length) _twin[a] = b;
        }
    }

    /// <summary>A state fits one word with its top bit free (what a compact state store needs).</summary>
    public bool FitsOneWord => StateBits <= StateStore.OneWordBits;

    /// <summary>Each actor's local state block and each page's block (page word and pin).</summary>
    public BitField ActorBlock(int actor) => _actorBlock[actor];
    public BitField PageBlock(int page) => _pageBlock[page];

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
    internal PageWord Word(in PackedState s, int p) => PageWord.Of(Page(s, p)).WithPin(Pinned(s, p));
    internal PackedState WithPage(in PackedState s, int p, PageState page, bool pinned) => _pin[p].Set(_page[p].Set(s, (int)page.Bits), pinned ? 1 : 0);

    /// <summary>The state invariants a state violates, as a mask over <see cref="Invariants.All"/>.</summary>
    public int StateViolations(in PackedState s)
    {
        int mask = 0;
        foreach (var f in _page) mask |= _stateViolations[f.Get(s)];
        return mask;
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
            int pc = cpu.Pc.Get(s), phase = cpu.Phase.Get(s);
            string next = pc >= cpu.Program.Done ? "done"
                : phase == 0 ? string.Join("|", cpu.Program.Steps[pc].Select(c => c.Op.ToString()).Distinct())
                : $"{cpu.Program.Steps[pc][cpu.Choice.Get(s)].Op} {_rules.Underway(phase)}";
            parts.Add($"{ActorName(v)}: {next}");
        }
        return string.Join(", ", parts);
    }

    /// <summary>vCPU <paramref name="v"/>'s program and its program counter in <paramref name="s"/> (for <see cref="Coverage"/>).</summary>
    public (GuestProgram Program, int Pc) ProgramPoint(in PackedState s, int v) => (_vcpus[v].Program, _vcpus[v].Pc.Get(s));

    public string ActorName(int actor) => actor < _vcpus.Length ? $"vcpu{actor}" : $"host{actor - _vcpus.Length}";

    /// <summary>Every step every actor can take from <paramref name="s"/>, in a fixed order.</summary>
    public void Successors(in PackedState s, List<Successor> into)
    {
        for (int v = 0; v < _vcpus.Length; v++) GuestSteps(s, v, into);
        for (int h = 0; h < _hosts.Length; h++) _rules.HostSteps(s, h, into);
    }

    void GuestSteps(in PackedState s, int v, List<Successor> into)
    {
        var cpu = _vcpus[v];
        int pc = cpu.Pc.Get(s);
        if (pc >= cpu.Program.Done) return;
        var choices = cpu.Program.Steps[pc];
        if (cpu.Phase.Get(s) == 0)
        {
            // Page-major: all of one page's steps before the next page's, so each page's steps are one memoized block.
            if (cpu.Program.AnyPage)
            {
                foreach (var p in cpu.Pages)
                    for (int c = 0; c < choices.Length; c++) _rules.Start(s, v, c, choices[c], p, into);
                return;
            }
            for (int c = 0; c < choices.Length; c++)
                _rules.Start(s, v, c, choices[c], choices[c].Page >= 0 ? choices[c].Page : cpu.Pages[cpu.PageIndex.Get(s)], into);
            return;
        }
        var chosen = choices[cpu.Choice.Get(s)];
        int page = chosen.Page >= 0 ? chosen.Page : cpu.Program.AnyPage ? cpu.ChosenPage.Get(s) : cpu.Pages[cpu.PageIndex.Get(s)];
        _rules.Continue(s, v, chosen, page, into);
    }

    // What the granularities' rules read and write besides their own fields.
    internal Vcpu VcpuOf(int v) => _vcpus[v];
    internal HostThread HostOf(int h) => _hosts[h];

    /// <summary>Page <paramref name="page"/>'s load bits (cas), and (<see cref="LoadBitIndex"/>) an actor's bit among them.</summary>
    internal BitField Loads(int page) => _loads[page];
    internal int LoadBitIndex(int page, int actor) => _loadBit[actor * _page.Length + page];

    internal void Emit(List<Successor> into, PackedState next, Step step) => into.Add(new Successor(next, step, TransitionViolations(step)));

    /// <summary>Every outcome of an operation under the protocol, one for each edge a nondeterministic protocol offers.</summary>
    internal List<(PageState Next, OpResult Result)> Outcomes(PageState page, PageOp op, bool begin)
    {
        var outcomes = new List<(PageState, OpResult)>(1);
        PageMachine.Outcomes(Protocol, page, op, outcomes, begin);
        return outcomes;
    }

    /// <summary>Moves the vCPU's program on after an operation finished with <paramref name="outcome"/>.</summary>
    internal PackedState Advance(in PackedState s, int v, Choice choice, Outcome outcome)
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
            int index = cpu.PageIndex.Get(s) + 1;
            next = cpu.Iteration.Set(next, 0);
            return index < cpu.Pages.Length ? cpu.Pc.Set(cpu.PageIndex.Set(next, index), 0) : cpu.Pc.Set(next, program.Done);
        }
        return cpu.Pc.Set(next, pc);
    }
}
