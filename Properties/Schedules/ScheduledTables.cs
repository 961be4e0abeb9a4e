using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Schedules;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// The tables a schedule can run on, by the name a schedule file gives: the real lock-free table under the scheduler,
/// and the same code over memories broken on purpose, which show that failures are found, minimized and replayed.
/// </summary>
public static class ScheduledTables
{
    public static readonly IReadOnlyDictionary<string, Func<IReadOnlyList<PageState>, PageStateTable>> ByName =
        new Dictionary<string, Func<IReadOnlyList<PageState>, PageStateTable>>
        {
            ["lock-free"] = pages => new LockFreePageTable<ScheduledMemory>(pages),
            ["torn-cas"] = pages => new LockFreePageTable<TornCompareExchange>(pages),
            ["lost-release"] = pages => new LockFreePageTable<LostRelease>(pages),
            ["failing-cas"] = pages => new LockFreePageTable<FailingCompareExchange>(pages),
            ["seqlock"] = pages => new SeqlockPageTable<ScheduledMemory>(pages),
            ["seqlock-early-release"] = pages => new SeqlockPageTable<ScheduledMemory>(pages, earlyRelease: true),
        };
}
