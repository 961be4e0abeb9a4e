using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint export --promela FILE</c>: the configuration as a Promela model for a cross-check with SPIN.</summary>
public sealed class ExportCommand : ICommand
{
    public string Name => "export";
    public string Summary => "write a configuration as a Promela model for SPIN";
    public string Help => """
        usage: pagehint export --promela FILE [configuration options of pagehint check]

        Explores the configuration exhaustively, then writes it as a Promela model with pagehint's state variables
        (one int per page word and per actor's local state) and pagehint's atomic steps: one process per actor, each
        step one d_step, looked up in a C table of every step of every reachable (actor, local state, page, page word).
        After every step the state invariants (translated from their formulas) and the transition invariants are
        asserted. SPIN's "states, stored" equals pagehint's state count. Check it with:
          spin -a FILE && gcc -O2 -DSAFETY -DNOREDUCE -o pan pan.c && ./pan -m100000000 -E
        pan reports the first assertion that fails; add -A to ignore assertions and count the whole state space.
        The model cross-checks the search (exploration, state matching, invariants); its steps are pagehint's own.
        """;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        string file = args.Text("--promela") ?? throw new UsageException("export needs --promela FILE");
        var config = CheckCommand.ReadConfiguration(args);
        int threads = args.Int("--threads", 1, 64) ?? Environment.ProcessorCount;
        args.RejectUnknown();
        var system = new Interleavings(config, Model.Variants.Resolve(config.Variant));
        var result = Export(system, file, threads);
        output.WriteLine($"{config}: {Format.Count(result.States, "state")}, {Format.Count(system.MemoizedSteps, "step group")} written to {file}");
        return CommandLine.Ok;
    }

    /// <summary>Searches <paramref name="system"/> exhaustively and writes its Promela model to <paramref name="file"/>.
    /// The file is opened first, so a path that cannot be written is refused before the search, not after it.</summary>
    public static SearchResult Export(Interleavings system, string file, int threads)
    {
        StreamWriter w;
        try { w = new StreamWriter(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw CannotWrite(file, e); }
        using (w)
        {
            var result = new PageSearch(system, new SearchOptions { All = true, Threads = threads }).Run();
            if (result.StoppedBecause is null)
            {
                try
                {
                    PromelaModel.Write(w, system);
                    w.Flush();
                    return result;
                }
                catch (IOException e) { throw CannotWrite(file, e); }
            }
            w.Dispose();
            File.Delete(file);
            throw new UsageException($"cannot export: {result.StoppedBecause}");
        }
    }

    static InputException CannotWrite(string file, Exception e) => new(file, $"cannot write: {e.Message}");
}
