using PageHintVerify.Model;
using static PageHintVerify.TestKit.ScenarioText;

namespace PageHintVerify.TestKit;

/// <summary>
/// The scenarios every interleaving of which the real table must pass: 2 threads of 3 operations (one of 1 and 4) and
/// 3 threads of 2 on one or two pages, from states chosen so that each operation's racy step has a partner: writes
/// against writeback and reclaim, fault-in and zero-fill against writes, optimistic reads against usage-state changes,
/// reload against reclaim.
/// </summary>
public static class Scenarios
{
    public static readonly IReadOnlyDictionary<string, ConcurrentScenario> All = new Dictionary<string, ConcurrentScenario>
    {
        // A write's pin against writeback's copy and swap-out.
        ["write-writeback-swap-out"] = Scenario(["Sr d=0 mem=10 disk=00 want=⊥⊥"],
            ["p0 write(0)=2", "p0 read(0)", "p0 writeback"],
            ["p0 writeback", "p0 read(0)", "p0 host reclaim"]),
        // A dirty P page's writes against writeback and discard (which keeps a dirty page and drops a clean one).
        ["dirty-write-writeback"] = Scenario(["Pr d=1 mem=10 disk=00 want=⊥⊥"],
            ["p0 write(0)=2", "p0 write(1)=2", "p0 read(0)"],
            ["p0 writeback", "p0 host reclaim", "p0 read(1)"]),
        // A fault-in read (Sp -> Sr) against writes of both cells.
        ["fault-in-read-write"] = Scenario(["Sp d=0 mem=10 disk=00 want=⊥⊥"],
            ["p0 read(0)", "p0 write(1)=2", "p0 read(1)"],
            ["p0 write(0)=2", "p0 host reclaim", "p0 read(0)"]),
        // Zero-fill (Sz -> Sr) by a write and a read, against each other and a swap-out.
        ["zero-fill"] = Scenario(["Sz d=0 mem=00 disk=00 want=⊥⊥"],
            ["p0 write(0)=1", "p0 read(1)", "p0 read(0)"],
            ["p0 read(0)", "p0 write(1)=2", "p0 host reclaim"]),
        // Discard of a P page (clean: dropped; dirty: preserved) against writes.
        ["discard-p-write"] = Scenario(["Pr d=0 mem=11 disk=11 want=⊥⊥"],
            ["p0 write(0)=2", "p0 write(1)=2", "p0 set_stable_if_present"],
            ["p0 host reclaim", "p0 read(0)", "p0 set_volatile(w=1)"]),
        // Optimistic reads of a V page against set_stable, a write and a swap-out.
        ["read-set-stable-write"] = Scenario(["Vr d=0 mem=10 disk=10 want=⊥⊥"],
            ["p0 read(0)", "p0 read(0)", "p0 read(1)"],
            ["p0 set_stable", "p0 write(0)=2", "p0 host reclaim"]),
        // A stalled optimistic read while the page leaves P and comes back to the same word but for the version.
        ["read-aba"] = Scenario(["Pr d=1 mem=10 disk=00 want=⊥⊥"],
            ["p0 read(0)"],
            ["p0 set_stable", "p0 write(0)=2", "p0 write(0)=1", "p0 set_volatile(w=1)"]),
        // Reload of a discarded page against reclaim and reads.
        ["reload-reclaim"] = Scenario(["Vr d=0 mem=21 disk=21 want=⊥⊥"],
            ["p0 set_stable_if_present", "p0 reload disk=21", "p0 read(0)"],
            ["p0 host reclaim", "p0 read(1)", "p0 set_volatile(w=0)"]),
        // Usage-state changes and eviction of an unused page.
        ["set-ops-evict"] = Scenario(["Ur d=0 mem=12 disk=00 want=⊥⊥"],
            ["p0 set_stable", "p0 write(0)=1", "p0 set_volatile(w=0)"],
            ["p0 set_unused", "p0 host reclaim", "p0 set_stable_if_present"]),
        // Two pages: operations on different pages commute, so the reduction explores their orders once.
        ["two-pages"] = Scenario(["Sr d=0 mem=10 disk=00 want=⊥⊥", "Pr d=1 mem=21 disk=00 want=⊥⊥"],
            ["p0 write(0)=2", "p1 host reclaim", "p0 read(0)"],
            ["p1 write(1)=1", "p0 writeback", "p1 read(1)"]),
        // Three threads: a write, writeback and swap-out of an S page beside a write, read and discard of a P page.
        ["three-two-pages"] = Scenario(["Sr d=0 mem=10 disk=00 want=⊥⊥", "Pr d=0 mem=11 disk=11 want=⊥⊥"],
            ["p0 write(0)=2", "p1 read(0)"],
            ["p1 write(1)=2", "p0 writeback"],
            ["p0 host reclaim", "p1 host reclaim"]),
        // Three threads: optimistic reads against a discard and set_stable.
        ["three-readers"] = Scenario(["Vr d=0 mem=10 disk=10 want=⊥⊥"],
            ["p0 read(0)", "p0 read(1)"],
            ["p0 read(0)", "p0 set_stable"],
            ["p0 host reclaim", "p0 read(1)"]),
        // Three threads: zero-fill of one page and fault-in of another, each against a write and reclaim or writeback.
        ["three-zero-fill-fault-in"] = Scenario(["Sz d=0 mem=00 disk=00 want=⊥⊥", "Sp d=0 mem=12 disk=00 want=⊥⊥"],
            ["p0 write(0)=1", "p1 read(0)"],
            ["p1 write(0)=2", "p0 read(0)"],
            ["p0 host reclaim", "p1 writeback"]),
    };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });

    /// <summary>
    /// A scenario drawn from <paramref name="seed"/> (the same one every run): one page in any valid state, two threads of
    /// three operations of every kind. These reach races the chosen scenarios do not aim at.
    /// </summary>
    public static ConcurrentScenario Random(int seed)
    {
        var random = new Random(seed);
        var gh = GuestHostState.Valid[random.Next(GuestHostState.Valid.Length)];
        bool resident = gh.H == HostState.Resident, zero = gh.H == HostState.Zero;
        byte Cell() => (byte)random.Next(3);
        var page = PageState.Initial.With(gh).WithDirty(resident && random.Next(2) == 1)
            .WithMem(0, zero ? (byte)0 : Cell()).WithMem(1, zero ? (byte)0 : Cell()).WithDisk(0, Cell()).WithDisk(1, Cell());
        ThreadOp Op() => new(0, PageOp.All[random.Next(PageOp.All.Length)], (byte)random.Next(1, 3), (Cell(), Cell()));
        return new ConcurrentScenario([page], [[Op(), Op(), Op()], [Op(), Op(), Op()]]);
    }
}
