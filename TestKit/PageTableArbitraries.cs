using FsCheck;
using FsCheck.Fluent;
using PageHintVerify.Model;

namespace PageHintVerify.TestKit;

/// <summary>One operation on one page of a table.</summary>
public readonly record struct PageStep(int Page, PageOp Op)
{
    public override string ToString() => $"p{Page} {Op}";
}

/// <summary>Pages in any well-formed state of SPEC section 2 and a sequence of operations on them.</summary>
public sealed record TableScenario(PageState[] Initial, PageStep[] Steps)
{
    public override string ToString() =>
        $"initial [{string.Join("; ", Initial)}], steps [{string.Join(", ", Steps)}]";
}

/// <summary>
/// Generators for page-table tests. Initial pages are drawn from every well-formed state (so no state of SPEC section 2
/// depends on a lucky prefix) or start Uz (so prefixes from the initial state are covered too).
/// </summary>
public static class PageTableArbitraries
{
    /// <summary>Every operation of SPEC section 3: the guest's (both cells) and host reclaim.</summary>

    static Gen<byte> Cell(int max) => Gen.Choose(0, max).Select(v => (byte)v);

    /// <summary>A well-formed page: a valid (g,h), canonical change bit and cells, any disk and want.</summary>
    public static Gen<PageState> WellFormedPage =>
        from gh in Gen.Elements(GuestHostState.Valid)
        from dirty in Gen.Elements(false, true)
        from mem0 in Cell(2)
        from mem1 in Cell(2)
        from disk0 in Cell(2)
        from disk1 in Cell(2)
        from want0 in Cell(PageState.Bottom)
        from want1 in Cell(PageState.Bottom)
        let resident = gh.H == HostState.Resident
        select new PageState(0).With(gh).WithDirty(dirty && resident)
            .WithMem(0, gh.H == HostState.Zero ? (byte)0 : mem0).WithMem(1, gh.H == HostState.Zero ? (byte)0 : mem1)
            .WithDisk(0, disk0).WithDisk(1, disk1).WithWant(0, want0).WithWant(1, want1);

    /// <summary>A page to start from: mostly well-formed, sometimes the initial page.</summary>
    public static Gen<PageState> StartingPage => Gen.Frequency((3, WellFormedPage), (1, Gen.Constant(PageState.Initial)));

    public static Gen<TableScenario> Scenario =>
        from pages in Gen.Choose(1, 3)
        from initial in Gen.ArrayOf(StartingPage, pages)
        from steps in Gen.ArrayOf(
            from page in Gen.Choose(0, pages - 1)
            from op in Gen.Elements(PageOp.All)
            select new PageStep(page, op))
        select new TableScenario(initial, steps);

    /// <summary>Shrinks to fewer steps first, then to pages that start Uz.</summary>
    public static IEnumerable<TableScenario> Shrink(TableScenario s)
    {
        for (int i = 0; i < s.Steps.Length; i++)
            yield return s with { Steps = [.. s.Steps[..i], .. s.Steps[(i + 1)..]] };
        for (int p = 0; p < s.Initial.Length; p++)
            if (s.Initial[p] != PageState.Initial)
            {
                var initial = (PageState[])s.Initial.Clone();
                initial[p] = PageState.Initial;
                yield return s with { Initial = initial };
            }
    }

    public static Arbitrary<TableScenario> TableScenarios() => Arb.From(Scenario, Shrink);

    public static Arbitrary<PageState> WellFormedPages() => Arb.From(WellFormedPage);
}
