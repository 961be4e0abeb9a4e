using System.Runtime.InteropServices;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM while a command runs: the first one cancels <see cref="Token"/> instead of ending the
/// process, so a search stops between chunks and the command reports what it completed; a second one ends the process
/// as the signal would (for a user who does not want to wait for the report).
/// </summary>
public sealed class StopSignals : IDisposable
{
    readonly CancellationTokenSource _source = new();
    readonly PosixSignalRegistration[] _registrations;
    PosixSignal? _received;

    public StopSignals() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];

    public CancellationToken Token => _source.Token;

    /// <summary>The signal received, as its name (<c>SIGINT</c>), or null.</summary>
    public string? Received => _received?.ToString();

    /// <summary>The exit code of a command that <paramref name="signal"/> (<see cref="Received"/>) stopped, as a shell
    /// reports a process the signal ended: 128 + its number.</summary>
    public static int ExitCode(string signal) => signal == nameof(PosixSignal.SIGINT) ? 130 : 143;

    void Handle(PosixSignalContext context)
    {
        if (_received is not null) return; // the second one: not cancelled, so the process ends
        _received = context.Signal;
        context.Cancel = true;
        _source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
