namespace PageHintVerify.Schedules;

/// <summary>
/// A counting semaphore for handing control between the scheduler's threads: a waiter spins (yielding) for a while
/// first, since the thread it waits for usually hands back within microseconds, and blocks only after that.
/// </summary>
sealed class Baton
{
    const int Spins = 200;
    int _count;
    readonly SemaphoreSlim _blocked = new(0);

    public void Release()
    {
        // A negative count is a waiter blocked on the slow path: wake it.
        if (Interlocked.Increment(ref _count) <= 0) _blocked.Release();
    }

    public bool Wait(TimeSpan timeout)
    {
        var spinner = new SpinWait();
        for (int i = 0; i < Spins; i++)
        {
            int c = Volatile.Read(ref _count);
            if (c > 0 && Interlocked.CompareExchange(ref _count, c - 1, c) == c) return true;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (Interlocked.Decrement(ref _count) >= 0) return true;
        if (_blocked.Wait(timeout)) return true;
        // Timed out: take our claim back, unless a release raced in (then consume it).
        if (Interlocked.Increment(ref _count) <= 0) return _blocked.Wait(0) || true;
        return false;
    }

    public void Wait() => Wait(Timeout.InfiniteTimeSpan);
}
