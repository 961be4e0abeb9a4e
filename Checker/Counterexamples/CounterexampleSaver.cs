using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>
/// What <c>check --save DIR</c> does with each violation: minimize it (unless told not to), check that the file replays
/// as written (with the variant's digraph embedded, <see cref="Variants.GraphText"/>), and write it.
/// </summary>
public static class CounterexampleSaver
{
    /// <summary>Saves each violation; returns the paths written.</summary>
    public static IReadOnlyList<string> Save(string folder, Configuration found, Protocol protocol, IEnumerable<Violation> violations, bool minimize, TextWriter output)
    {
        var written = new List<string>();
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(folder, $"cannot create: {e.Message}"); }
        var graph = Variants.GraphText(found.Variant);
        foreach (var v in violations)
        {
            var kept = minimize ? Minimizer.Minimize(found, protocol, v) : new MinimizedTrace(found, v.Trace);
            var name = Counterexample.FileName(found, v.Invariant, kept.Trace.Select(t => t.Step));
            var path = Path.Combine(folder, name);
            var counterexample = Counterexample.Of(kept.Configuration, v.Invariant, kept.Trace, found.ToString(), v.Trace.Count, graph);
            // Read back what would be written and replay it: a graph file edited during the search, or anything the
            // file cannot say, is refused here rather than kept as a counterexample that does not reproduce.
            var replay = CounterexampleReplay.Run(CounterexampleFile.Parse(path, CounterexampleFile.ToJson(counterexample)));
            if (!replay.Reproduces) throw new InputException(path, $"not saved: the file would not reproduce the violation ({replay.Divergence})");
            CounterexampleFile.Write(path, counterexample);
            written.Add(path);
            output.WriteLine(minimize
                ? $"{v.Invariant.Id}: saved {path}: {Format.Count(v.Trace.Count, "step")} shortest by BFS, {kept.Trace.Count} minimized"
                : $"{v.Invariant.Id}: saved {path}: {Format.Count(v.Trace.Count, "step")}, shortest by BFS");
        }
        return written;
    }
}
