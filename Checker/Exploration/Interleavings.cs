using PageHintVerify.Checker.Cli;
using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// The concurrent system of a configuration: pages, guest vCPUs and host reclaim threads, with every actor's atomic
/// steps at the chosen granularity. <see cref="Successors"/> enumerates every step of every actor from a state in a
/// fixed order (vCPUs, then host threads; pages and choices ascending), which is what makes traces deterministic.
/// </summary>
public sealed partial class Interleavings
{
    sealed class Vcpu
    {
        public required GuestProgram Program;
        public required int[] Pages;            // the pages it works on, in order (all pages for the any program)
        public BitField Block, Pc, Iteration, Slot, Phase, Choice, ChosenPage, Observed;
        public CasFields Cas => new(Phase, Observed);
    }

    sealed class HostThread
    {
        public BitField Block, Phase, Page, Observed;
        public CasFields Cas => new(Phase, Observed);
    }

    /// <summary>The widest actor block: <see cref="BitField.Get"/> returns it as a non-negative int.</summary>
    const int MaxLocalBits = 31;

    readonly Vcpu[] _vcpus;
    readonly HostThread[] _hosts;
    readonly BitField[] _page, _pin, _pageBlock;
    readonly BitField[] _loads;         // cas: per page, one bit per actor holding a load of it that no write has outdated
    readonly int[] _loadBit;            // per (actor, page): the actor's bit in the page's loads, or -1 if it never loads the page
    readonly IPageAlgorithm _algorithm;
    readonly int _iterations;
    readonly byte[] _stateViolations; // per 17-bit page value: the state invariants it violates, as Invariants.All bits
    readonly BitField[] _actorBlock;
    readonly ulong[] _clearA, _clearB;   // per (actor, page): every bit but the actor's block and the page's block
    readonly StepTable _steps;
    readonly int[] _twin;                // per actor: the first earlier actor with the same steps (same program and pages), or -1

    public Configuration Configuration { get; }
    public Protocol Protocol { get; }
    public Granularity Granularity => Configuration.Granularity;
    public int StateBits { get; }
    public int ActorCount => _vcpus.Length + _hosts.Length;
    public int PageCount => _page.Length;

    /// <param name="algorithm">What the <c>cas</c> granularity's table decides from a loaded word; the lock-free
    /// table's own <see cref="CasAlgorithm"/> unless given.</param>
    public Interleavings(Configuration config, Protocol protocol, IPageAlgorithm? algorithm = null)
    {
        Configuration = config.Validate();
        Protocol = protocol;
        _algorithm = algorithm ?? CasAlgorithm.Instance;
        _iterations = config.Iterations;
        var layout = new BitLayout();
        bool split = config.Granularity != Granularity.Atomic, cas = config.Granularity == Granularity.Cas;

        // Each page with its pin (and, at cas, which actors hold a current load of it), and each actor's whole local
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
            var parts = layout.Group(out _pageBlock[p], PageState.BitWidth, cas ? 1 : 0, cas ? holders : 0);
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
                cas ? BitLayout.WidthFor((int)CasNext.Last) : split ? BitLayout.WidthFor((int)Exploration.Phase.StoreData) : 0,
                split ? BitLayout.WidthFor(program.Steps.Max(s => s.Length) - 1) : 0,
                split && program.AnyPage ? BitLayout.WidthFor(config.Pages - 1) : 0,
                cas ? 5 : split ? 6 : 0); // the loaded word (at cas never pinned: five bits, see CasFields)
            (cpu.Pc, cpu.Iteration, cpu.Slot, cpu.Phase, cpu.Choice, cpu.ChosenPage, cpu.Observed) =
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
            var parts = layout.Group(out host.Block, cas ? BitLayout.WidthFor((int)CasNext.Last) : split ? 1 : 0,
                split ? BitLayout.WidthFor(config.Pages - 1) : 0, cas ? 5 : split ? 6 : 0);
            (host.Phase, host.Page, host.Observed) = (parts[0], parts[1], parts[2]);
            _hosts[h] = host;
        }
        StateBits = layout.BitsUsed;

        _stateViolations = new byte[1 << PageState.BitWidth];
        for (uint b = 0; b < _stateViolations.Length; b++)
            _stateViolations[b] = (byte)Remap(InvariantTable.StateInvariants.Violations(StepFacts.OfState(new PageState(b))), InvariantTable.StateInvariants);

        _actorBlock = [.. _vcpus.Select(v => v.Block), .. _hosts.Select(h => h.Block)];
        _clearA = new ulong[ActorCount * PageCount];
        _clearB = new ulong[ActorCount * PageCount];
        for (int a = 0; a < ActorCount; a++)
            for (int p = 0; p < PageCount; p++)
            {
                var ones = new PackedState(ulong.MaxValue, ulong.MaxValue);
                var cleared = _pageBlock[p].Set(_actorBlock[a].Set(ones, 0), 0);
                (_clearA[a * PageCount + p], _clearB[a * PageCount + p]) = (cleared.A, cleared.B);
            }
        _steps = new StepTable(Effects);
        _twin = new int[ActorCount];
        for (int a = 0; a < ActorCount; a++)
        {
            _twin[a] = -1;
            // At cas an actor's steps also depend on its own bit in the page's loads: twins' steps differ there.
            for (int b = 0; b < a && _twin[a] < 0 && !cas; b++)
                if (a < _vcpus.Length ? Interchangeable(_vcpus[a], _vcpus[b]) : b >= _vcpus.Length) _twin[a] = b;
        }
    }

    /// <summary>Two vCPUs take the same steps from the same local state: the same program (not a script) on the same pages.</summary>
    bool Interchangeable(Vcpu a, Vcpu b) =>
        Configuration.Program != ProgramKind.Scripted && a.Program.Name == b.Program.Name && a.Pages.AsSpan().SequenceEqual(b.Pages);

    /// <summary>
    /// Whether <see cref="Canonical"/> reduces anything: vCPUs running the same program on pages of the same role are
    /// interchangeable (the any program: every vCPU and every page; the page cache: vCPUs owning as many pages, with
    /// their pages), and so are host threads. Scripted vCPUs name absolute pages and have no symmetry but the hosts'.
    /// </summary>
    public bool HasSymmetry => _vcpus.Length > 1 || _hosts.Length > 1 || (_vcpus[0].Program.AnyPage && _page.Length > 1);

    /// <summary>
    /// A representative of the state's orbit under those symmetries, by sorting: for the any program the pages by their
    /// word, then the vCPUs and the hosts by their local state (with the page numbers they hold renamed); for the page
    /// cache the (vCPU, its pages) blocks of equal size, then the hosts. Always a state of the same orbit, so a search
    /// over representatives finds the same invariants violated; not always the only representative of its orbit, so the
    /// reduction is sound but may be less than the orbit count. At cas each page's load bits are renamed with the actors.
    /// </summary>
    public PackedState Canonical(in PackedState s)
    {
        int pages = _page.Length, n = _vcpus.Length;
        Span<int> pageFrom = stackalloc int[pages];   // new page q holds old page pageFrom[q]
        Span<int> pageTo = stackalloc int[pages];     // old page p is now pageTo[p]
        Span<ulong> keys = stackalloc ulong[Math.Max(pages, n + _hosts.Length)];
        Span<int> order = stackalloc int[Math.Max(pages, n + _hosts.Length)];
        Span<int> locals = stackalloc int[n];
        bool anyPage = _vcpus[0].Program.AnyPage;
        for (int p = 0; p < pages; p++) pageFrom[p] = p;
        for (int v = 0; v < n; v++) order[v] = v;
        if (anyPage)
        {
            for (int p = 0; p < pages; p++) keys[p] = ((ulong)(uint)_pageBlock[p].Get(s) << 8) | (uint)p;
            SortBy(keys[..pages], pageFrom);
        }
        else if (Configuration.Program != ProgramKind.Scripted && n > 1)
        {
            // Blocks (vCPU, its pages in slot order), sorted among vCPUs with as many pages; pages follow their vCPU.
            SortBlocks(s, order[..n]);
            for (int w = 0; w < n; w++)
                for (int slot = 0; slot < _vcpus[w].Pages.Length; slot++) pageFrom[_vcpus[w].Pages[slot]] = _vcpus[order[w]].Pages[slot];
        }
        for (int q = 0; q < pages; q++) pageTo[pageFrom[q]] = q;

        var result = new PackedState(0, 0);
        for (int q = 0; q < pages; q++) result = _pageBlock[q].Set(result, _pageBlock[pageFrom[q]].Get(s));
        // vCPU locals with their chosen page renamed, then (any program) sorted; page-cache vCPUs follow their blocks.
        for (int v = 0; v < n; v++)
        {
            var cpu = _vcpus[v];
            var local = cpu.Block.Set(default, cpu.Block.Get(s));
            if (anyPage && cpu.Phase.Get(s) != 0) local = cpu.ChosenPage.Set(local, pageTo[cpu.ChosenPage.Get(s)]);
            locals[v] = cpu.Block.Get(local);
        }
        if (anyPage)
        {
            for (int v = 0; v < n; v++) keys[v] = ((ulong)(uint)locals[v] << 8) | (uint)v;
            SortBy(keys[..n], order[..n]);
        }
        for (int w = 0; w < n; w++) result = _vcpus[w].Block.Set(result, locals[order[w]]);
        Span<int> actorFrom = stackalloc int[ActorCount];   // new actor a is old actor actorFrom[a]
        for (int w = 0; w < n; w++) actorFrom[w] = order[w];
        // Hosts: the page a busy host holds is renamed; then all hosts sorted.
        int hosts = _hosts.Length;
        for (int h = 0; h < hosts; h++)
        {
            var host = _hosts[h];
            var local = host.Block.Set(default, host.Block.Get(s));
            if (host.Phase.Get(s) != 0) local = host.Page.Set(local, pageTo[host.Page.Get(s)]);
            keys[h] = ((ulong)(uint)host.Block.Get(local) << 8) | (uint)h;
        }
        SortBy(keys[..hosts], order[..hosts]);
        for (int h = 0; h < hosts; h++) result = _hosts[h].Block.Set(result, (int)(keys[h] >> 8));
        if (Granularity != Granularity.Cas) return result;
        for (int h = 0; h < hosts; h++) actorFrom[n + h] = n + order[h];
        return RenameLoads(s, result, pageFrom, actorFrom); // each page's load bits name actors
    }

    /// <summary>Sorts keys (value &lt;&lt; 8 | index) ascending and writes the indices, in order, to <paramref name="indices"/>.</summary>
    static void SortBy(Span<ulong> keys, Span<int> indices)
    {
        keys.Sort();
        for (int i = 0; i < keys.Length; i++) indices[i] = (int)(keys[i] & 0xFF);
    }

    /// <summary>Page-cache vCPUs: a stable sort of the vCPU order by (page count, local state, page words), in place.</summary>
    void SortBlocks(in PackedState s, Span<int> order)
    {
        for (int i = 1; i < order.Length; i++)
            for (int j = i; j > 0 && CompareBlocks(s, order[j - 1], order[j]) > 0; j--)
                (order[j - 1], order[j]) = (order[j], order[j - 1]);
    }

    int CompareBlocks(in PackedState s, int v, int w)
    {
        var (a, b) = (_vcpus[v], _vcpus[w]);
        if (a.Pages.Length != b.Pages.Length) return v.CompareTo(w); // different roles: keep their order
        int c = a.Block.Get(s).CompareTo(b.Block.Get(s));
        for (int slot = 0; c == 0 && slot < a.Pages.Length; slot++)
            c = _pageBlock[a.Pages[slot]].Get(s).CompareTo(_pageBlock[b.Pages[slot]].Get(s));
        return c;
    }

    /// <summary>A state fits one word with its top bit free (what a compact state store needs).</summary>
    public bool FitsOneWord => StateBits <= StateStore.OneWordBits;

    /// <summary>Each actor's local state block and each page's block (page word and pin).</summary>
    public BitField ActorBlock(int actor) => _actorBlock[actor];
    public BitField PageBlock(int page) => _pageBlock[page];

    /// <summary>
    /// The memoized steps: after a complete search, every step of every reachable state. A twin actor's groups that
    /// <see cref="Expand"/> never looked up (it used its twin's) are computed here first.
    /// </summary>
    public IReadOnlyList<(ulong Key, StepGroup Steps)> MemoizedStepGroups
    {
        get
        {
            foreach (var key in _steps.Keys)
            {
                var (actor, local, page, word) = StepTable.Decode(key);
                for (int b = 0; b < ActorCount; b++)
                    if (_twin[b] == actor) _steps.Get(StepTable.Key(b, local, page, word));
            }
            return _steps.Entries;
        }
    }

    /// <summary>Steps memoized so far (see <see cref="StepTable"/>) and their bytes.</summary>
    public int MemoizedSteps => _steps.Count;
    public long MemoBytes => _steps.Bytes;

    /// <summary>
    /// Every successor of <paramref name="s"/> with the invariants its step violates, in the order of
    /// <see cref="Successors"/>, from the step table: no <see cref="Step"/> records, no page machine.
    /// The violations are the step's transition invariants and the state invariants of the page it changed (the other
    /// pages are as in <paramref name="s"/>, whose own violations were counted when it was found).
    /// </summary>
    public void Expand(in PackedState s, Expansion into)
    {
        into.Count = 0;
        // The step group of each (actor, page) of this state, actor-major, kept in the buffer between expansions.
        if (into.Scratch is not GroupSlot[] groups || groups.Length < _actorBlock.Length * _pageBlock.Length)
            into.Scratch = groups = new GroupSlot[_actorBlock.Length * _pageBlock.Length];
        int steps = 0;
        int pages = _pageBlock.Length;
        for (int a = 0; a < _actorBlock.Length; a++)
        {
            int local = _actorBlock[a].Get(s);
            int twin = _twin[a];
            bool asTwin = twin >= 0 && _actorBlock[twin].Get(s) == local;
            for (int p = 0; p < pages; p++)
            {
                int at = a * pages + p;
                // An interchangeable actor in the same local state has the same steps as its twin (which were just
                // taken); those that keep it there reach the states its twin reached, with the same violations: only
                // the step count matters, and the twin's group tells it without a look-up.
                if (asTwin && groups[twin * pages + p] is { KeepsLocal: true } twinGroup)
                {
                    steps += twinGroup.Steps;
                    groups[at] = twinGroup;
                    continue;
                }
                var group = groups[at] = _steps.Get(StepTable.Key(a, local, p, _pageBlock[p].Get(s)));
                ulong keepA = s.A & _clearA[at], keepB = s.B & _clearB[at];
                foreach (ref readonly var e in _steps.EffectsOf(group)) into.Add(new PackedState(keepA | e.OrA, keepB | e.OrB), e.Violations, steps + e.Ordinal);
                steps += group.Steps;
            }
        }
        into.Steps = steps;
    }

    /// <summary>Computes one step-table entry by running the step-by-step code on a state holding just that actor and page.</summary>
    StepGroup Effects(ulong key)
    {
        var (actor, local, page, word) = StepTable.Decode(key);
        var block = _actorBlock[actor];
        var s = _pageBlock[page].Set(block.Set(default, local), word);
        var successors = new List<Successor>();
        if (actor < _vcpus.Length) GuestSteps(s, actor, successors);
        else HostSteps(s, actor - _vcpus.Length, successors);
        var effects = new List<StepEffect>();
        int steps = 0;
        bool keepsLocal = true;
        foreach (var succ in successors)
        {
            if (succ.Step.Page != page) continue;
            var or = _pageBlock[page].Set(block.Set(default, block.Get(succ.State)), _pageBlock[page].Get(succ.State));
            int violations = succ.Violations | _stateViolations[_page[page].Get(succ.State)];
            keepsLocal &= block.Get(succ.State) == local;
            // A step that changes nothing finds no state, and its target's state violations are its source's, counted
            // already; a repeat of an earlier step's effect (another operation with the same outcome) finds nothing new.
            if ((succ.State != s || succ.Violations != 0) && !effects.Exists(e => e.OrA == or.A && e.OrB == or.B && e.Violations == violations))
                effects.Add(new StepEffect(or.A, or.B, violations, steps));
            steps++;
        }
        return steps == 0 ? StepGroup.None : new StepGroup(steps, [.. effects], keepsLocal);
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
            int pc = cpu.Pc.Get(s);
            var phase = (Phase)cpu.Phase.Get(s);
            string next = pc >= cpu.Program.Done ? "done"
                : phase == Phase.Whole ? string.Join("|", cpu.Program.Steps[pc].Select(c => c.Op.ToString()).Distinct())
                : Granularity == Granularity.Cas ? $"{cpu.Program.Steps[pc][cpu.Choice.Get(s)].Op} at {CasNextText((CasNext)phase)}"
                : $"{cpu.Program.Steps[pc][cpu.Choice.Get(s)].Op} after {phase.ToString().ToLowerInvariant()}";
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
            // Page-major: all of one page's steps before the next page's, so each page's steps are one memoized block.
            if (cpu.Program.AnyPage)
            {
                foreach (var p in cpu.Pages)
                    for (int c = 0; c < choices.Length; c++) Start(s, v, c, p, into);
                return;
            }
            for (int c = 0; c < choices.Length; c++)
                Start(s, v, c, choices[c].Page >= 0 ? choices[c].Page : cpu.Pages[cpu.Slot.Get(s)], into);
            return;
        }
        int ci = cpu.Choice.Get(s);
        var chosen = choices[ci];
        int page = chosen.Page >= 0 ? chosen.Page : cpu.Program.AnyPage ? cpu.ChosenPage.Get(s) : cpu.Pages[cpu.Slot.Get(s)];
        if (Granularity == Granularity.Cas)
        {
            CasSteps(s, (byte)v, cpu.Cas, chosen.Op, page, (next, failed) => Advance(next, v, chosen, failed ? Outcome.Failed : Outcome.Ok), into);
            return;
        }
        switch (phase)
        {
            case Phase.Load: Commit(s, v, chosen, page, into); break;
            case Phase.StoreData: StoreData(s, v, chosen, page, into); break;
        }
    }

    void Start(in PackedState s, int v, int c, int page, List<Successor> into)
    {
        var cpu = _vcpus[v];
        var choice = cpu.Program.Steps[cpu.Pc.Get(s)][c];
        if (Granularity == Granularity.Cas)
        {
            // Every operation of the table starts with a load; the choice and its page are the vCPU's from there on.
            var chosen = cpu.Phase.Set(cpu.ChosenPage.Set(cpu.Choice.Set(s, c), page), (int)CasNext.Load);
            CasLoad(chosen, (byte)v, cpu.Cas, choice.Op, page, (next, failed) => Advance(next, v, choice, failed ? Outcome.Failed : Outcome.Ok), into);
            return;
        }
        if (Granularity == Granularity.Naive && IsSplit(choice.Op.Op)) { Load(s, v, c, page, into); return; }
        var before = Page(s, page);
        foreach (var (after, result) in Outcomes(before, choice.Op, begin: false))
        {
            var next = Advance(WithPage(s, page, after, Pinned(s, page)), v, choice, result.Outcome);
            Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Whole, result, before, after));
        }
    }

    /// <summary>Every outcome of an operation under the protocol, one for each edge a nondeterministic protocol offers.</summary>
    List<(PageState Next, OpResult Result)> Outcomes(PageState page, PageOp op, bool begin)
    {
        var outcomes = new List<(PageState, OpResult)>(1);
        PageMachine.Outcomes(Protocol, page, op, outcomes, begin);
        return outcomes;
    }

    void Load(in PackedState s, int v, int c, int page, List<Successor> into)
    {
        var cpu = _vcpus[v];
        var choice = cpu.Program.Steps[cpu.Pc.Get(s)][c];
        var word = Word(s, page);
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
        foreach (var (after, result) in Commits(s, page, observed, choice.Op))
        {
            bool storesData = CasAlgorithm.OwesDataStore(choice.Op, result.Outcome);
            var next = WithPage(s, page, after, pinned: false);
            next = storesData ? cpu.Phase.Set(next, (int)Phase.StoreData) : Advance(next, v, choice, result.Outcome);
            Emit(into, next, new Step((byte)v, choice.Op, (byte)page, Phase.Commit, result, before, after));
        }
    }

    /// <summary>
    /// The store half of a naive split operation: the page after it and the result, one per outcome the protocol allows.
    /// Naive stores the word it decided from the loaded one over whatever is there now, but only when that decision
    /// changes the word: an operation that faults or finds nothing to change has nothing to store.
    /// </summary>
    List<(PageState Next, OpResult Result)> Commits(in PackedState s, int page, PageWord observed, PageOp op)
    {
        var current = Page(s, page);
        var stale = observed.Over(current);
        var decided = Outcomes(stale, op, begin: true);
        // Nothing changed at all (a fault, a no-op): nothing to store. A step that changes only the ghost (a lost
        // write sets want) still changes it over what is there now.
        for (int i = 0; i < decided.Count; i++)
            if (decided[i].Next == stale) decided[i] = (current, decided[i].Result);
        return decided;
    }

    void StoreData(in PackedState s, int v, Choice choice, int page, List<Successor> into)
    {
        var before = Page(s, page);
        var after = PageMachine.StoreData(before, choice.Op.Cell);
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
        if (Granularity == Granularity.Cas)
        {
            CasHostSteps(s, h, into);
            return;
        }
        if (host.Phase.Get(s) == 0)
        {
            for (int p = 0; p < _page.Length; p++)
            {
                var before = Page(s, p);
                if (!Configuration.HostMay(HostActions.For(before.G))) continue;
                var outcomes = Outcomes(before, Reclaim, begin: true);
                if (outcomes[0].Result.Outcome == Outcome.NotEnabled) continue; // no edge: reclaim has no outcome at all
                if (Granularity == Granularity.Atomic)
                {
                    foreach (var (after, result) in outcomes)
                        Emit(into, WithPage(s, p, after, false), new Step(actor, Reclaim, (byte)p, Phase.Whole, result, before, after));
                    continue;
                }
                var word = Word(s, p);
                var loaded = host.Observed.Set(host.Page.Set(host.Phase.Set(s, 1), p), (int)word.Abstract.Bits);
                Emit(into, loaded, new Step(actor, Reclaim, (byte)p, Phase.Load, new OpResult(before.GH, Outcome.Ok), before, before));
            }
            return;
        }
        int page = host.Page.Get(s);
        var observed = new PageWord((uint)host.Observed.Get(s));
        var idle = host.Observed.Set(host.Page.Set(host.Phase.Set(s, 0), 0), 0);
        var current = Page(s, page);
        foreach (var (next, res) in Commits(s, page, observed, Reclaim))
            Emit(into, WithPage(idle, page, next, false), new Step(actor, Reclaim, (byte)page, Phase.Commit, res, current, next));
    }
}
