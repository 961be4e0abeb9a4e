using System.Text;

namespace PageHintVerify.Schedules;

/// <summary>
/// The thread that makes each shared-memory access, in order: it fixes an execution, since the threads' code is
/// deterministic. Written as runs, <c>0x5 1x3 0x2</c>: thread 0 makes five accesses, thread 1 three, thread 0 two.
/// </summary>
public sealed class Schedule(IReadOnlyList<int> threads)
{
    public IReadOnlyList<int> Threads { get; } = threads;

    /// <summary>How often the running thread changes: what a minimal schedule has fewest of.</summary>
    public int ContextSwitches => Enumerable.Range(1, Math.Max(0, Threads.Count - 1)).Count(i => Threads[i] != Threads[i - 1]);

    /// <summary>The schedule as runs of one thread: (thread, accesses).</summary>
    public IEnumerable<(int Thread, int Length)> Runs()
    {
        for (int i = 0; i < Threads.Count;)
        {
            int j = i;
            while (j < Threads.Count && Threads[j] == Threads[i]) j++;
            yield return (Threads[i], j - i);
            i = j;
        }
    }

    public override string ToString() => string.Join(" ", Runs().Select(r => $"{r.Thread}x{r.Length}"));

    /// <summary>Reads what <see cref="ToString"/> writes; null with <paramref name="error"/> set when it cannot.</summary>
    public static Schedule? Parse(string text, int threads, out string? error)
    {
        var list = new List<int>();
        error = null;
        foreach (var run in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = run.Split('x');
            if (parts.Length != 2 || !int.TryParse(parts[0], out int t) || !int.TryParse(parts[1], out int n) || n < 1)
            {
                error = $"'{run}' is not a run THREADxACCESSES such as 0x5";
                return null;
            }
            if (t < 0 || t >= threads)
            {
                error = $"'{run}' names thread {t}, but there are {threads} threads";
                return null;
            }
            if (list.Count + n > 100_000)
            {
                error = "more than 100,000 accesses";
                return null;
            }
            list.AddRange(Enumerable.Repeat(t, n));
        }
        return new Schedule(list);
    }
}
