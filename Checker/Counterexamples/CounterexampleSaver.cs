using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>What <c>check --save DIR</c> does with each violation: minimize it (unless told not to) and write its file.</summary>
public static class CounterexampleSaver
{
    public static void Save(string folder, Configuration found, Protocol protocol, IEnumerable<Violation> violations, bool minimize, TextWriter output)
    {
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(folder, $"cannot create: {e.Message}"); }
        foreach (var v in violations)
        {
            var kept = minimize ? Minimizer.Minimize(found, protocol, v) : new MinimizedTrace(found, v.Trace);
            var name = Counterexample.FileName(found, v.Invariant, kept.Trace.Select(t => t.Step));
            var path = Path.Combine(folder, name);
            CounterexampleFile.Write(path, Counterexample.Of(kept.Configuration, v.Invariant, kept.Trace, found.ToString(), v.Trace.Count));
            output.WriteLine(minimize
                ? $"{v.Invariant.Id}: saved {path}: {v.Trace.Count} steps shortest by BFS, {kept.Trace.Count} minimized"
                : $"{v.Invariant.Id}: saved {path}: {v.Trace.Count} steps, shortest by BFS");
        }
    }
}
