using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Distributed;

namespace PageHintVerify.Checker.Cli;

/// <summary>A silo of the cluster stopped answering or exited during a search (exit code <see cref="ExitCode"/>).</summary>
public sealed class SiloLostException(string message) : Exception(message)
{
    /// <summary>The exit code of a search stopped by a lost silo.</summary>
    public const int ExitCode = 3;
}

/// <summary>
/// <c>check --cluster N</c> and <c>check --join HOST:PORT</c>: the search partitioned over Orleans silos, one partition
/// per silo. With --cluster the silos are processes of this program (<c>pagehint silo</c>) on this machine, started
/// for the search and stopped after it.
/// </summary>
static class ClusterSearch
{
    /// <summary>How long silos started here may take to start and form a cluster (seconds each on a busy machine).</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    /// <summary>How long a running cluster may take to let a client in.</summary>
    static readonly TimeSpan JoinPatience = TimeSpan.FromSeconds(15);

    /// <param name="joinAt">The gateway of <paramref name="join"/>, parsed before the search said anything.</param>
    public static SearchResult Run(PageSearch search, Configuration config, SearchOptions options, int? cluster, string? join,
        IPEndPoint? joinAt, long maxMemory, TextWriter output)
    {
        using var silos = cluster is { } n ? LocalSilos.Start(n, maxMemory) : null;
        var gateways = silos?.Gateways ?? [joinAt!];
        var client = Connect(gateways, cluster ?? 0, join);
        try
        {
            var grains = client.Services.GetRequiredService<IClusterClient>();
            int partitions = cluster ?? grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).GetAwaiter().GetResult().Count;
            var handles = Silos.StartPartitions(grains, PartitionedPageSearch.Spec(config, options), partitions).GetAwaiter().GetResult();
            output.WriteLine($"searching on {Format.Count(partitions, "partition")}: " +
                string.Join(", ", silos?.Names ?? [.. handles.Select(h => h.Silo).Distinct()]));
            output.Flush();
            var run = search.RunAsync(handles);
            // A silo process that exits may leave calls to it waiting: its exit stops the search too.
            int done = Task.WaitAny(run, silos?.Exited ?? Task.Delay(Timeout.Infinite));
            if (done == 1) throw new SiloLostException($"{silos!.Exited.Result} while exploring level {handles.Max(h => h.Exploring)}");
            try { return run.GetAwaiter().GetResult() with { Silos = [.. handles.Select(h => (silos?.NameOf(h.Silo) ?? h.Silo, h.SiloPeakBytes))] }; }
            catch (PartitionLostException e) { throw new SiloLostException(e.Message); }
        }
        finally
        {
            try { client.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(5)).Token).GetAwaiter().GetResult(); } catch (Exception) { }
            client.Dispose();
        }
    }

    static Microsoft.Extensions.Hosting.IHost Connect(IPEndPoint[] gateways, int silos, string? join)
    {
        try { return Silos.Client(gateways, silos, join is null ? Patience : JoinPatience).GetAwaiter().GetResult(); }
        catch (Exception e)
        {
            throw new UsageException(join is not null ? $"--join {join}: no cluster answered there ({e.GetBaseException().Message})"
                : $"--cluster: the silos did not form a cluster within {Patience.TotalSeconds:F0} s ({e.GetBaseException().Message})");
        }
    }

    /// <summary>Silos as processes of this program on this machine, the first the primary; stopped on dispose.</summary>
    sealed class LocalSilos : IDisposable
    {
        readonly List<Process> _processes = [];
        readonly TaskCompletionSource<string> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
        bool _stopping;

        public IPEndPoint[] Gateways { get; private set; } = [];
        /// <summary>Each silo as messages name it: index, address and process.</summary>
        public List<string> Names { get; } = [];
        /// <summary>The name of the silo Orleans calls <paramref name="address"/> (S127.0.0.1:PORT:EPOCH): the one on PORT.</summary>
        public string NameOf(string address)
        {
            string port = address.Split(':') is [_, var p, ..] ? p : "";
            return Names.FirstOrDefault(n => n.Contains($"127.0.0.1:{port},", StringComparison.Ordinal)) ?? address;
        }

        /// <summary>Completes, naming the silo, when one exits before the search is over.</summary>
        public Task<string> Exited => _exited.Task;

        public static LocalSilos Start(int count, long maxMemory)
        {
            var silos = new LocalSilos();
            try
            {
                var ports = FreePorts(2 * count);
                // All at once: the others wait for the primary to answer, and a silo takes seconds to start.
                var started = Enumerable.Range(0, count).Select(i => silos.Launch(i, ports[2 * i], ports[2 * i + 1],
                    [.. i == 0 ? [] : (string[])["--primary", $"127.0.0.1:{ports[0]}"], "--max-memory", $"{maxMemory}"])).ToList();
                foreach (var wait in started) wait();
                silos.Gateways = [.. Enumerable.Range(0, count).Select(i => new IPEndPoint(IPAddress.Loopback, ports[2 * i + 1]))];
                return silos;
            }
            catch
            {
                silos.Dispose();
                throw;
            }
        }

        /// <summary>Starts silo <paramref name="index"/>; the action returned waits until it is ready.</summary>
        Action Launch(int index, int port, int gateway, string[] extra)
        {
            // Run as `dotnet pagehint.dll` or as the pagehint executable: start the silo the same way.
            string self = Environment.ProcessPath!;
            var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet") start.ArgumentList.Add(typeof(ClusterSearch).Assembly.Location);
            foreach (var a in (string[])["silo", "--port", $"{port}", "--gateway-port", $"{gateway}", .. extra]) start.ArgumentList.Add(a);
            var process = Process.Start(start) ?? throw new UsageException("--cluster: cannot start a silo process");
            _processes.Add(process);
            string name = $"silo {index} (127.0.0.1:{port}, process {process.Id})";
            Names.Add(name);
            var ready = process.StandardOutput.ReadLineAsync();
            return () =>
            {
                if (!ready.Wait(Patience) || ready.Result is not { } line || !line.StartsWith("silo ready", StringComparison.Ordinal))
                {
                    string why = process.HasExited ? process.StandardError.ReadToEnd().Trim() : "no answer";
                    throw new UsageException($"--cluster: {name} did not start: {why}");
                }
                process.EnableRaisingEvents = true;
                process.Exited += (_, _) => Lost(name, process);
                if (process.HasExited) Lost(name, process);
            };
        }

        void Lost(string name, Process process)
        {
            if (!_stopping) _exited.TrySetResult($"{name} exited with code {process.ExitCode}");
        }

        /// <summary>Ports free now (the operating system's choice); a silo started soon after can take them.</summary>
        static int[] FreePorts(int count)
        {
            var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
            foreach (var l in listeners) l.Start();
            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            foreach (var l in listeners) l.Stop();
            return ports;
        }

        public void Dispose()
        {
            _stopping = true;
            foreach (var p in _processes)
            {
                try { if (!p.HasExited) p.Kill(); p.WaitForExit(5000); } catch (InvalidOperationException) { }
                p.Dispose();
            }
        }
    }
}
