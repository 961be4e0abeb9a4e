using System.Diagnostics;

namespace PageHintVerify.Engine;

/// <summary>
/// How far a search is, for progress lines written from a timer's thread: the states stored, the level being
/// expanded, its size, the states of it expanded so far, and the successors those found that were not yet stored (the
/// next level before its duplicates are merged away).
/// </summary>
public sealed class SearchProgress
{
    long _levelSize, _levelExpanded, _levelFound;
    volatile StateStore? _store;
    volatile int _level;

    internal void StartSearch(StateStore store) => (_store, _level) = (store, 0);

    internal void StartLevel(int level, long size)
    {
        _level = level;
        Interlocked.Exchange(ref _levelExpanded, 0);
        Interlocked.Exchange(ref _levelFound, 0);
        Interlocked.Exchange(ref _levelSize, size);
    }

    internal void Expanded(long states, long found)
    {
        Interlocked.Add(ref _levelExpanded, states);
        Interlocked.Add(ref _levelFound, found);
    }

    /// <summary>Writes a line to <paramref name="w"/>; on the timer's thread, a line that cannot be made at the memory
    /// budget is skipped, not a crash.</summary>
    internal void Report(TextWriter w, Stopwatch clock)
    {
        double seconds = clock.Elapsed.TotalSeconds;
        if (_store is not { } store) return;
        try
        {
            w.WriteLine(Line(store.Count, _level, Interlocked.Read(ref _levelSize),
                Interlocked.Read(ref _levelExpanded), Interlocked.Read(ref _levelFound), seconds, Environment.WorkingSet));
        }
        catch (OutOfMemoryException) { }
    }

    /// <summary>
    /// A progress line: the states stored, the level being expanded and the share of it done, the frontier (the states
    /// of that level still waiting plus the new successors found so far, which the next level's merge may still thin
    /// out), the rate, the process's memory and the time.
    /// </summary>
    public static string Line(long states, int level, long levelSize, long expanded, long found, double seconds, long workingSet)
    {
        long done = Math.Min(expanded, levelSize);
        long percent = levelSize == 0 ? 0 : done * 100 / levelSize;
        return $"  {states,12:N0} states  level {level,3} {percent,3}%  frontier {levelSize - done + found,12:N0}  " +
            $"{states / Math.Max(seconds, 1e-9),10:N0} states/s  {Format.Bytes(workingSet)}  {seconds,6:F1} s";
    }
}
