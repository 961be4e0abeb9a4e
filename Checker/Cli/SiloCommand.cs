using System.Net;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Distributed;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint silo</c>: one Orleans silo that hosts partitions of distributed searches (<c>check --join</c>).</summary>
public sealed class SiloCommand : ICommand
{
    public string Name => "silo";
    public string Summary => "run one silo of a cluster for distributed searches (check --join)";
    public string Help => """
        usage: pagehint silo [options]

        Runs one Orleans silo that holds partitions of the searches `pagehint check --join` runs, until SIGINT or
        SIGTERM. The first silo of a cluster is started without --primary; every other names it with --primary, and
        clients join through any silo's gateway. Prints one line "silo ready: ADDRESS:PORT, gateway PORT" once started.
        Exit code 0: stopped by a signal; 2: usage error or the silo could not start (a port in use, say).

          --address IP              the address other machines reach this one at                  [127.0.0.1]
          --port N                  the silo-to-silo port                                         [11111]
          --gateway-port N          the port clients (check --join) connect to                    [30000]
          --primary HOST:PORT       the first silo's address and silo port (omit on the first silo)
          --max-memory SIZE         this silo's peak resident memory, runtime included            [16G]
        """;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        var address = Address(args.Text("--address") ?? "127.0.0.1", "--address");
        int port = args.Int("--port", 1, 65535) ?? 11111;
        int gateway = args.Int("--gateway-port", 1, 65535) ?? 30000;
        var primary = args.Text("--primary") is { } p ? Endpoint(p, "--primary") : null;
        long maxMemory = CheckCommand.MaxMemory(args.Text("--max-memory"));
        args.RejectUnknown();
        if (port == gateway) throw new UsageException("--port and --gateway-port must differ");
        using var budget = MemoryBudget.Apply(maxMemory);
        using var signals = new StopSignals();
        using var silo = Silos.Silo(address, port, gateway, primary, PartitionedPageSearch.Worker);
        try { silo.StartAsync(signals.Token).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new UsageException($"cannot start a silo at {address}:{port} (gateway {gateway}): {e.GetBaseException().Message}");
        }
        output.WriteLine($"silo ready: {address}:{port}, gateway {gateway}");
        output.Flush();
        signals.Token.WaitHandle.WaitOne();
        silo.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token).GetAwaiter().GetResult();
        return CommandLine.Ok;
    }

    static IPAddress Address(string text, string option) => IPAddress.TryParse(text, out var a) ? a
        : Dns.GetHostAddresses(text).FirstOrDefault() ?? throw new UsageException($"{option}: cannot resolve '{text}'");

    /// <summary>HOST:PORT as an endpoint, HOST a name or an address.</summary>
    public static IPEndPoint Endpoint(string text, string option)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int port) || port is < 1 or > 65535)
            throw new UsageException($"{option} takes HOST:PORT (got '{text}')");
        try { return new IPEndPoint(Address(text[..colon], option), port); }
        catch (System.Net.Sockets.SocketException e) { throw new UsageException($"{option}: cannot resolve '{text[..colon]}': {e.Message}"); }
    }
}
