using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Microsoft.Z3;
using PageHintVerify.Checker.Cli;

namespace PageHintVerify.Checker.Z3;

/// <summary>Z3 cannot be loaded: one line saying why and how to install it; <c>pagehint</c> exits with code 2.</summary>
public sealed class Z3UnavailableException(string message) : UsageException(message);

/// <summary>
/// The only owner of Z3 in the process: it chooses and loads the native library, and owns one <see cref="Context"/> that
/// lives on a thread of its own. Every Z3 call goes through <see cref="Run{T}"/>, which runs it on that thread under the
/// context's lock, because libz3 4.8.12 does not survive calls (or releases) from other threads; the shim queues the
/// releases the GC finalizer makes and replays them on this thread.
/// </summary>
public sealed class Z3Session : IDisposable
{
    /// <summary>Names a native libz3 to use instead of the distribution's libz3.so.4.</summary>
    public const string LibraryVariable = "PAGEHINT_LIBZ3";
    const string Install = "install it with: sudo apt-get install libz3-4";
    const string ShimFile = "libpagehint-z3.so";

    static readonly object LoadLock = new();
    static NativeLibraryChoice? _library;

    readonly BlockingCollection<Action> _work = new();
    readonly Thread _thread;
    readonly Context _context;

    /// <summary>The Z3 version the loaded library reports, e.g. <c>4.8.12.0</c>.</summary>
    public string Version { get; }
    /// <summary>The file Z3's entry points come from, and how it is loaded.</summary>
    public string Library => _library!.Description;

    public Z3Session()
    {
        var library = Load();
        _thread = new Thread(Serve) { IsBackground = true, Name = "z3" };
        _thread.Start();
        (_context, Version) = Post(() =>
        {
            var context = new Context();
            return (context, Microsoft.Z3.Version.FullVersion);
        });
    }

    /// <summary>Runs <paramref name="work"/> on the context's thread under its lock; Z3 objects must not escape it.</summary>
    public T Run<T>(Func<Context, T> work) => Post(() => { lock (_context) return work(_context); });

    public void Run(Action<Context> work) => Run(c => { work(c); return 0; });

    T Post<T>(Func<T> work)
    {
        if (Thread.CurrentThread == _thread) return work();
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        using var done = new ManualResetEventSlim();
        _work.Add(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        failure?.Throw();
        return result;
    }

    void Serve()
    {
        foreach (var item in _work.GetConsumingEnumerable()) item();
    }

    public void Dispose()
    {
        if (_work.IsAddingCompleted) return;
        Run(c => c.Dispose());
        _work.CompleteAdding();
        _thread.Join();
    }

    /// <summary>Chooses the native library once per process and maps Microsoft.Z3's <c>libz3</c> to it.</summary>
    static NativeLibraryChoice Load()
    {
        lock (LoadLock)
        {
            if (_library is not null) return _library;
            var choice = Choose();
            NativeLibrary.SetDllImportResolver(typeof(Context).Assembly,
                (name, _, _) => name == "libz3" ? choice.Handle : IntPtr.Zero);
            return _library = choice;
        }
    }

    static NativeLibraryChoice Choose()
    {
        var here = Path.GetDirectoryName(typeof(Z3Session).Assembly.Location) ?? ".";
        var shim = Path.Combine(here, ShimFile);
        var requested = Environment.GetEnvironmentVariable(LibraryVariable);
        IntPtr? chosen = null;
        if (!string.IsNullOrEmpty(requested))
        {
            var handle = TryLoad(requested, out var why)
                ?? throw new Z3UnavailableException($"cannot load Z3 from {LibraryVariable}={requested} ({LoaderError(why)}): {Install}, or unset {LibraryVariable}");
            if (!NativeLibrary.TryGetExport(handle, "Z3_get_full_version", out _))
                throw new Z3UnavailableException($"{LibraryVariable}={requested} is not a libz3 (it has no Z3_get_full_version): point it at a libz3, or unset it");
            // A Z3 with Z3_enable_concurrent_dec_ref (4.12 and later) supports the wrapper's finalizer thread itself.
            if (NativeLibrary.TryGetExport(handle, "Z3_enable_concurrent_dec_ref", out _))
                return new(handle, $"{requested} ({LibraryVariable}, loaded directly)");
            chosen = handle;
        }
        if (!File.Exists(shim))
            throw new Z3UnavailableException($"the Z3 shim {shim} is missing: rebuild pagehint with gcc installed (sudo apt-get install gcc)");
        var shimHandle = TryLoad(shim, out var reason)
            ?? throw new Z3UnavailableException($"cannot load Z3 ({LoaderError(reason)}): {Install}, or point {LibraryVariable} at a libz3");
        var real = Marshal.PtrToStringUTF8(
            Marshal.GetDelegateForFunctionPointer<LibraryName>(NativeLibrary.GetExport(shimHandle, "pagehint_z3_library"))()) ?? "?";
        // The shim takes libz3.so.4 by soname: a library chosen by the variable is used only if it carries that soname.
        if (chosen is { } c && NativeLibrary.GetExport(c, "Z3_get_full_version") != NativeLibrary.GetExport(shimHandle, "Z3_get_full_version"))
            throw new Z3UnavailableException(
                $"{LibraryVariable}={requested} has no Z3_enable_concurrent_dec_ref and is not named libz3.so.4 by its soname, so the shim cannot wrap it");
        return new(shimHandle, $"{real} (through {ShimFile})");
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate IntPtr LibraryName();

    static IntPtr? TryLoad(string path, out string why)
    {
        try
        {
            why = "";
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            why = e.Message;
            return null;
        }
        catch (BadImageFormatException e)
        {
            why = e.Message;
            return null;
        }
    }

    /// <summary>The loader's own words: .NET puts them on the last line of its message, after general advice.</summary>
    static string LoaderError(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? text;
        int cannot = line.IndexOf("libz3.so.4", StringComparison.Ordinal);
        return cannot >= 0 ? line[cannot..] : line;
    }

    sealed record NativeLibraryChoice(IntPtr Handle, string Description);
}
