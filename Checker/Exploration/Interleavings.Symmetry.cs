namespace PageHintVerify.Checker.Exploration;

/// <summary>The symmetry reduction: interchangeable vCPUs, pages and host threads, and a canonical state per orbit.</summary>
public sealed partial class Interleavings
{
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
            // Blocks (vCPU, its pages in order), sorted among vCPUs with as many pages; pages follow their vCPU.
            SortBlocks(s, order[..n]);
            for (int w = 0; w < n; w++)
                for (int i = 0; i < _vcpus[w].Pages.Length; i++) pageFrom[_vcpus[w].Pages[i]] = _vcpus[order[w]].Pages[i];
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
        if (!_rules.TracksLoads) return result;
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
        for (int i = 0; c == 0 && i < a.Pages.Length; i++)
            c = _pageBlock[a.Pages[i]].Get(s).CompareTo(_pageBlock[b.Pages[i]].Get(s));
        return c;
    }

    /// <summary><paramref name="result"/> with each page's load bits from <paramref name="s"/>, renamed with the pages and the actors
    /// (new page q is old page pageFrom[q], new actor a old actor actorFrom[a]; an actor's pages are renamed with it).</summary>
    PackedState RenameLoads(in PackedState s, PackedState result, ReadOnlySpan<int> pageFrom, ReadOnlySpan<int> actorFrom)
    {
        int pages = _page.Length;
        for (int q = 0; q < pages; q++)
        {
            int old = _loads[pageFrom[q]].Get(s), renamed = 0;
            for (int a = 0; a < actorFrom.Length; a++)
            {
                int from = _loadBit[actorFrom[a] * pages + pageFrom[q]], to = _loadBit[a * pages + q];
                if (from >= 0 && (old & (1 << from)) != 0) renamed |= 1 << to;
            }
            result = _loads[q].Set(result, renamed);
        }
        return result;
    }
}
