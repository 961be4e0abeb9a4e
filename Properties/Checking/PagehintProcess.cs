using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using PageHintVerify.Checker.Cli;

namespace PageHintVerify.Properties.Checking;

/// <summary>
/// <c>pagehint</c> run as a process of its own, for what only a process has: the signals it gets and its peak resident
/// memory (VmHWM, sampled from <c>/proc</c> until it exits: a high-water mark, so the last sample holds every earlier peak).
/// </summary>
public sealed class PagehintProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _output = new(), _errors = new();
    readonly BlockingCollection<string> _errorLines = [];
    readonly Thread _sampler;
    long _peakBytes;

    PagehintProcess(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(CommandLine).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (_output) _output.Append(line).Append('\n'); };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not { } line) { _errorLines.CompleteAdding(); return; }
            lock (_errors) _errors.Append(line).Append('\n');
            _errorLines.Add(line);
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _sampler = new Thread(Sample) { IsBackground = true };
        _sampler.Start();
    }

    public static PagehintProcess Start(params string[] args) => new(args);

    /// <summary>Waits for a line on stderr that satisfies <paramref name="match"/>; fails if the process ends first.</summary>
    public string WaitForErrorLine(Func<string, bool> match)
    {
        foreach (var line in _errorLines.GetConsumingEnumerable())
            if (match(line)) return line;
        throw new InvalidOperationException($"pagehint ended (exit {_process.ExitCode}) before the line looked for:\n{Errors}");
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int signal);

    public const int SIGINT = 2, SIGTERM = 15;

    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end: its exit code, stdout, stderr and the peak resident memory sampled.</summary>
    public (int Code, string Out, string Err, long PeakBytes) Wait()
    {
        _process.WaitForExit();
        _sampler.Join();
        lock (_output) lock (_errors) return (_process.ExitCode, _output.ToString(), _errors.ToString(), Interlocked.Read(ref _peakBytes));
    }

    string Errors { get { lock (_errors) return _errors.ToString(); } }

    void Sample()
    {
        var status = $"/proc/{_process.Id}/status";
        while (!_process.HasExited)
        {
            try
            {
                foreach (var line in File.ReadLines(status))
                    if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    {
                        long bytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
                        if (bytes > _peakBytes) Interlocked.Exchange(ref _peakBytes, bytes);
                    }
            }
            catch (IOException) { return; } // gone
            Thread.Sleep(5);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
