using PageHintVerify.Model;
using PageHintVerify.PageTable;
using PageHintVerify.Schedules;
using PageHintVerify.TestKit;

namespace PageHintVerify.Properties.Schedules;

/// <summary>
/// The tables a schedule can run on, by the name a schedule file gives: the real lock-free table under the scheduler,
/// and the same code over memories broken on purpose, which show that failures are found, minimized and replayed.
/// </summary>
public static class ScheduledTables
{
    public static readonly IReadOnlyDictionary<string, ScheduledTable> ByName = new ScheduledTable[]
    {
        new("lock-free", pages => new LockFreePageTable<ScheduledMemory>(pages)),
        new("torn-cas", pages => new LockFreePageTable<TornCompareExchange>(pages)),
        new("lost-release", pages => new LockFreePageTable<LostRelease>(pages)),
        new("failing-cas", pages => new LockFreePageTable<FailingCompareExchange>(pages)),
        new("seqlock", pages => new SeqlockPageTable<ScheduledMemory>(pages)),
        new("seqlock-early-release", pages => new SeqlockPageTable<ScheduledMemory>(pages, earlyRelease: true)),
    }.ToDictionary(t => t.Name);

    /// <summary>Reads a schedule file whose table is one of these.</summary>
    public static ScheduleFile Read(string path) => ScheduleFile.Read(path, ByName);
}
