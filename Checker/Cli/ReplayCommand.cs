using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Checker.Pictures;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint replay</c>: re-executes counterexample files against the current model; draws one as a chart.</summary>
public sealed class ReplayCommand : ICommand
{
    public string Name => "replay";
    public string Summary => "re-execute counterexample files; draw one as a sequence chart";
    public string Help => """
        usage: pagehint replay FILE... [--trace] [--svg OUT.svg] [--dot OUT.dot] [--html OUT.html] [--json]

        Re-executes each counterexample file (written by check --save) step by step against the current model: each
        step must be one the configuration's actors can take, return the recorded result and leave the recorded
        pages, and the last step must violate the recorded invariant. Prints per file "reproduces", or where it
        diverges: the first step whose result or state differs, expected against actual.

          --trace         print each reproduced trace as a table
          --svg OUT.svg   (one file) draw the trace as a message-sequence chart: a lane per actor, a lane per page
          --dot OUT.dot   (one file) write each page's path of states as Graphviz DOT
          --json          write one JSON document to stdout instead of the text (docs/json.md)
          --html OUT.html (one file) write a self-contained page to step through the trace in a browser

        Exit code 1: every file reproduces its violation (a violation, as for check); 3: some file diverges (whatever
        the others do); 2: a file is malformed (one line naming it and the problem; the other files still run) or the
        command line is wrong. A divergence wins over a malformed file, and both over a reproduced violation.
        """;

    /// <summary>The exit code of a replay in which some file no longer reproduces what it records.</summary>
    public const int Diverged = 3;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        bool trace = args.Flag("--trace");
        string? svg = args.Text("--svg"), dot = args.Text("--dot"), html = args.Text("--html");
        bool json = args.Flag("--json");
        var files = args.Positional;
        args.RejectUnknown();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = output;
        if (json) output = TextWriter.Null;
        var results = new List<Action<System.Text.Json.Utf8JsonWriter>>();
        if (files.Count == 0) throw new UsageException("give at least one counterexample file");
        if ((svg ?? dot ?? html) is not null && files.Count != 1) throw new UsageException("--svg, --dot and --html draw one file; give exactly one");

        bool malformed = false, diverged = false;
        foreach (var file in files)
        {
            ReplayVerdict verdict;
            try { verdict = CounterexampleReplay.Run(CounterexampleFile.Read(file)); }
            catch (InputException e)
            {
                errors.WriteLine(CommandLine.Error(this, e.Message));
                malformed = true;
                results.Add(w => WriteFile(w, file, "malformed", null, e.Message));
                continue;
            }
            var c = verdict.Counterexample;
            string name = CommandLine.Printable(file);
            if (verdict.Reproduces)
            {
                output.WriteLine($"{name}: reproduces {c.Invariant} in {Format.Count(c.Steps.Count, "step")} ({c.Configuration})");
                if (trace) TraceTable.Write(output, verdict.System, new Violation(c.Invariant, verdict.Replay.Trace));
            }
            else
            {
                diverged = true;
                output.WriteLine($"{name}: {verdict.Divergence}");
            }
            results.Add(w => WriteFile(w, file, verdict.Reproduces ? "reproduces" : "diverges", verdict, verdict.Divergence?.ToString()));
            if (svg is not null) Write(svg, w => SequenceChart.Write(w, verdict, Path.GetFileName(file)));
            if (dot is not null) Write(dot, w => PagePathDot.Write(w, verdict));
            if (html is not null) Write(html, w => TraceExplorer.Write(w, verdict, Path.GetFileName(file)));
        }
        // Success is every file reproducing: a divergence or a malformed file must never share its exit code.
        int exit = diverged ? Diverged : malformed ? CommandLine.UsageError : CommandLine.ViolationFound;
        if (!json) return exit;
        return JsonReport.Write(report, this, diverged ? "diverges" : malformed ? "malformed" : "reproduces", exit, clock, w =>
        {
            w.WriteStartArray("files");
            foreach (var r in results) r(w);
            w.WriteEndArray();
        });
    }

    /// <summary>One file's outcome; a file that was read carries its configuration, invariant and recorded steps.</summary>
    static void WriteFile(System.Text.Json.Utf8JsonWriter w, string file, string outcome, ReplayVerdict? verdict, string? problem)
    {
        w.WriteStartObject();
        w.WriteString("file", file);
        w.WriteString("outcome", outcome);
        if (problem is null) w.WriteNull("problem"); else w.WriteString("problem", problem);
        if (verdict is { Counterexample: var c })
        {
            w.WritePropertyName("configuration");
            c.Configuration.WriteJson(w);
            JsonReport.WriteInvariant(w, c.Invariant);
            JsonReport.WriteSteps(w, verdict.System, c.Steps);
        }
        w.WriteEndObject();
    }

    internal static void Write(string path, Action<TextWriter> draw)
    {
        try
        {
            using var file = new StreamWriter(path);
            draw(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, $"cannot write: {e.Message}"); }
    }
}
