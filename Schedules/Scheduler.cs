namespace PageHintVerify.Schedules;

/// <summary>
/// One run of the threads' code, made fresh for every execution: the search runs each execution from the start.
/// Everything the threads share lives in registered arrays and is accessed through <see cref="ScheduledMemory"/>;
/// the threads' code must be deterministic (the same values read give the same accesses) and must not catch the
/// exception that unwinds an abandoned execution.
/// </summary>
public interface IExecution
{
    /// <summary>Registers the arrays that hold the shared state, in the same order every execution.</summary>
    void Register(SharedLocations locations);

    /// <summary>The body of logical thread <paramref name="thread"/>; it runs on an OS thread of its own.</summary>
    void Run(int thread);

    /// <summary>Judges an execution in which every thread returned: null when it is right, else what is wrong.</summary>
    string? Check(ExecutionResult execution);
}

/// <summary>How an execution ended.</summary>
public enum Verdict
{
    /// <summary>Every thread returned and <see cref="IExecution.Check"/> found nothing wrong.</summary>
    Passed,
    /// <summary>Every thread returned and <see cref="IExecution.Check"/> found something wrong.</summary>
    Violation,
    /// <summary>Some thread had not returned and every such thread was blocked: a wait nobody will end.</summary>
    Deadlock,
    /// <summary>A thread made more accesses than the bound allows: a loop that never ends, or retries without end.</summary>
    Livelock,
    /// <summary>A thread threw.</summary>
    Crash,
    /// <summary>The search cut the execution short: it is equivalent to one already explored.</summary>
    Pruned,
    /// <summary>A replayed schedule asked for a thread that could not run at that step.</summary>
    Diverged,
}

/// <summary>One execution: how it ended, why, and every access in the order they happened.</summary>
public sealed record ExecutionResult(
    Verdict Verdict, string Message, IReadOnlyList<Event> Trace, IReadOnlyList<OperationSpan> Operations,
    SharedLocations Locations, int Threads)
{
    public bool Failed => Verdict is Verdict.Violation or Verdict.Deadlock or Verdict.Livelock or Verdict.Crash;

    /// <summary>The thread that made each access: the schedule that replays this execution.</summary>
    public Schedule Schedule => new(Trace.Select(e => e.Thread).ToArray());
}

/// <summary>
/// Runs executions of a fixed number of logical threads, each on its own OS thread, one shared-memory access at a time:
/// a thread that reaches an access parks until the chooser picks it, so exactly one thread runs at any moment and an
/// execution is fixed by the sequence of threads picked. Picking the thread that is already running costs nothing; a
/// switch hands a baton (a semaphore) to the next. A thread that found a page pinned (<see cref="ScheduledMemory.Wait"/>)
/// is blocked, not spinning, until another thread writes that word.
/// </summary>
public sealed class Scheduler : IDisposable
{
    const int NotBlocked = int.MinValue;

    /// <summary>The bound on one thread's accesses in one execution; past it the execution is a livelock.</summary>
    public int MaxAccessesPerThread { get; }

    /// <summary>How long an execution may run with no access before the scheduler gives up (code blocked outside the seam).</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    public int Threads { get; }

    [ThreadStatic] static Worker? t_worker;

    /// <summary>The calling thread's place in a scheduler, or null outside one.</summary>
    internal static Worker? Current => t_worker;

    internal sealed class Worker(Scheduler scheduler, int index)
    {
        public Scheduler Scheduler { get; } = scheduler;
        public int Index { get; } = index;
    }

    sealed class Abandoned : Exception;

    readonly Thread[] _threads;
    readonly Baton[] _go;
    readonly Baton _returned = new();
    volatile bool _disposed, _broken;

    // The execution's state: only the thread holding the baton (or the controller between executions) touches it.
    IExecution _execution = null!;
    IChooser _chooser = null!;
    SharedLocations _locations = new();
    readonly Access[] _pending;
    readonly ulong[] _comparands;
    readonly bool[] _finished;
    readonly int[] _blockedOn, _accesses;
    readonly (string Name, int First)?[] _open;
    readonly List<Event> _trace = [];
    readonly List<(int Thread, string Name, int First, int Last, string Result)> _operations = [];
    Verdict? _end;
    string _message = "";
    bool _abandon;
    int _started, _enabled;

    public Scheduler(int threads, int maxAccessesPerThread = 400)
    {
        if (threads is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(threads), "1 to 8 threads");
        Threads = threads;
        MaxAccessesPerThread = maxAccessesPerThread;
        _pending = new Access[threads];
        _comparands = new ulong[threads];
        _finished = new bool[threads];
        _blockedOn = new int[threads];
        _accesses = new int[threads];
        _open = new (string, int)?[threads];
        _go = Enumerable.Range(0, threads).Select(_ => new Baton()).ToArray();
        _threads = Enumerable.Range(0, threads).Select(t => new Thread(() => Work(t))
        {
            IsBackground = true, Name = $"scheduled thread {t}",
        }).ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>Runs one execution, asking <paramref name="chooser"/> which thread makes each access.</summary>
    internal ExecutionResult Run(IExecution execution, IChooser chooser)
    {
        ObjectDisposedException.ThrowIf(_disposed || _broken, this);
        _execution = execution;
        _chooser = chooser;
        _locations = new SharedLocations();
        execution.Register(_locations);
        Array.Clear(_finished);
        Array.Fill(_blockedOn, NotBlocked);
        Array.Clear(_accesses);
        Array.Clear(_open);
        _trace.Clear();
        _operations.Clear();
        (_end, _message, _abandon, _started) = (null, "", false, 1);
        _go[0].Release();
        for (int i = 0; i < Threads; i++)
            if (!_returned.Wait(Hang))
            {
                _broken = true;
                throw new InvalidOperationException(
                    $"an execution ran {Hang.TotalSeconds:0} s without finishing: a thread blocks or loops outside IMemory");
            }
        var trace = _trace.ToArray();
        var result = new ExecutionResult(_end ?? Verdict.Crash, _message, trace, Spans(trace), _locations, Threads);
        if (result.Verdict != Verdict.Passed) return result;
        return execution.Check(result) is { } wrong ? result with { Verdict = Verdict.Violation, Message = wrong } : result;
    }

    /// <summary>Marks the start of an operation of the calling thread, for the history and the printed table.</summary>
    public static void BeginOperation(string name)
    {
        if (Current is { } w) w.Scheduler._open[w.Index] = (name, w.Scheduler._accesses[w.Index]);
    }

    /// <summary>Marks the end of the calling thread's operation, with what it returned.</summary>
    public static void EndOperation(string result)
    {
        if (Current is not { } w) return;
        var s = w.Scheduler;
        if (s._open[w.Index] is not { } open) throw new InvalidOperationException("EndOperation without BeginOperation");
        s._operations.Add((w.Index, open.Name, open.First, s._accesses[w.Index] - 1, result));
        s._open[w.Index] = null;
    }

    /// <summary>The operations with their first and last access as positions in the trace.</summary>
    List<OperationSpan> Spans(Event[] trace)
    {
        var positions = Enumerable.Range(0, Threads).Select(_ => new List<int>()).ToArray();
        for (int i = 0; i < trace.Length; i++) positions[trace[i].Thread].Add(i);
        int At(int thread, int local) => local < 0 ? -1 : positions[thread][local];
        return _operations.Select(o => new OperationSpan(o.Thread, o.Name, At(o.Thread, o.First), At(o.Thread, o.Last), o.Result)).ToList();
    }

    // The state the chooser sees.
    internal int Step => _trace.Count;
    internal int Enabled => _enabled;
    internal IReadOnlyList<Event> Trace => _trace;
    /// <summary>
    /// What the thread's next access would do now: a compare-and-swap that would fail (its location no longer holds
    /// what it expects) acts as a read.
    /// </summary>
    internal Access Pending(int thread)
    {
        var a = _pending[thread];
        bool fails = a.Kind == AccessKind.CompareExchange && a.Location != Access.Unknown &&
                     _locations.Peek(a.Location) != _comparands[thread];
        return fails ? a.Failing : a;
    }
    internal bool Finished(int thread) => _finished[thread];
    internal SharedLocations Locations => _locations;

    void Work(int t)
    {
        t_worker = new Worker(this, t);
        while (true)
        {
            _go[t].Wait();
            if (_disposed) return;
            if (!_abandon)
            {
                try
                {
                    _execution.Run(t);
                    _finished[t] = true;
                    Dispatch(t);
                }
                catch (Abandoned) { }
                catch (Exception e)
                {
                    _finished[t] = true;
                    if (_end is null) (_end, _message) = (Verdict.Crash, $"thread {t} threw {e.GetType().Name}: {e.Message}");
                    Dispatch(t);
                }
            }
            _returned.Release();
        }
    }

    /// <summary>The running thread parks at an access (a compare-and-swap with what it expects): it waits until the chooser picks it.</summary>
    internal void Park(int me, Access access, ulong comparand = 0)
    {
        _pending[me] = access;
        _comparands[me] = comparand;
        Dispatch(me);
    }

    /// <summary>A thread found a word pinned: its next access waits for another thread's write to that word.</summary>
    internal void Block(int me, int location) => _blockedOn[me] = location;

    /// <summary>Records the access the running thread just made.</summary>
    internal void Record(int me, Access access, ulong read, ulong written, bool succeeded)
    {
        var e = new Event(me, access, read, written, succeeded);
        _trace.Add(e);
        if (e.Changed)
            for (int t = 0; t < Threads; t++)
                if (t != me && _blockedOn[t] != NotBlocked &&
                    (_blockedOn[t] == access.Location || _blockedOn[t] == Access.Unknown || access.Location == Access.Unknown))
                    _blockedOn[t] = NotBlocked;
        if (++_accesses[me] > MaxAccessesPerThread && _end is null)
            (_end, _message) = (Verdict.Livelock,
                $"thread {me} made more than {MaxAccessesPerThread} accesses: it retries or loops without end");
    }

    /// <summary>Hands the baton to the next thread (perhaps <paramref name="me"/> again), or ends the execution.</summary>
    void Dispatch(int me)
    {
        int next = Next();
        if (next == me) return;
        if (next >= 0)
        {
            _go[next].Release();
            if (_finished[me]) return;
            _go[me].Wait();
            if (_abandon) throw new Abandoned();
            return;
        }
        // The execution is over: every other thread that has not returned unwinds (or, not started, never starts).
        _abandon = true;
        for (int t = 0; t < Threads; t++)
            if (t != me && !_finished[t]) _go[t].Release();
        if (!_finished[me]) throw new Abandoned();
    }

    int Next()
    {
        if (_end is not null) return -1;
        if (_started < Threads) return _started++;
        int enabled = 0;
        bool running = false;
        for (int t = 0; t < Threads; t++)
        {
            if (_finished[t]) continue;
            running = true;
            if (_blockedOn[t] == NotBlocked) enabled |= 1 << t;
        }
        if (!running)
        {
            _end = Verdict.Passed;
            return -1;
        }
        if (enabled == 0)
        {
            (_end, _message) = (Verdict.Deadlock, "every thread that has not returned waits: " + string.Join(", ",
                Enumerable.Range(0, Threads).Where(t => !_finished[t])
                    .Select(t => $"thread {t} for a write to {_locations.Name(_blockedOn[t])}")));
            return -1;
        }
        _enabled = enabled;
        int pick = _chooser.Choose(this);
        if (pick == IChooser.Prune) _end = Verdict.Pruned;
        else if (pick < 0)
            (_end, _message) = (Verdict.Diverged, $"the schedule ends after {Step} accesses, before every thread returned");
        else if (pick >= Threads || (enabled >> pick & 1) == 0)
            (_end, _message) = (Verdict.Diverged, $"at access {Step} the schedule picks thread {pick}, which " +
                (pick >= Threads ? "does not exist" : _finished[pick] ? "has returned" : "waits for a write"));
        return _end is null ? pick : -1;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var go in _go) go.Release();
    }
}

/// <summary>Picks the thread that makes the next access.</summary>
internal interface IChooser
{
    /// <summary>Returned to cut the execution short: it is equivalent to one already explored.</summary>
    const int Prune = -2;

    int Choose(Scheduler state);
}
