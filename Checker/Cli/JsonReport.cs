using System.Diagnostics;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using PageHintVerify.Checker.Counterexamples;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// The <c>--json</c> document every reporting command writes to stdout instead of its text: one object with the schema
/// version, the command, its verdict and exit code, the command's own fields, then timings and memory (docs/json.md,
/// docs/pagehint-output.schema.json). Progress and errors stay on stderr.
/// </summary>
public static class JsonReport
{
    /// <summary>The version of the document's schema; raised whenever a field changes meaning or is removed.</summary>
    public const int Schema = 1;

    static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The tool's version, from its assembly.</summary>
    public static string ToolVersion =>
        typeof(JsonReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>Writes the document; returns <paramref name="exitCode"/> so a command can end with it.</summary>
    public static int Write(TextWriter output, ICommand command, string verdict, int exitCode, Stopwatch clock, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Indented))
        {
            w.WriteStartObject();
            w.WriteNumber("schema", Schema);
            w.WriteString("tool", "pagehint");
            w.WriteString("version", ToolVersion);
            w.WriteString("command", command.Name);
            w.WriteString("verdict", verdict);
            w.WriteNumber("exitCode", exitCode);
            body(w);
            w.WriteStartObject("timings");
            w.WriteNumber("elapsedSeconds", Math.Round(clock.Elapsed.TotalSeconds, 3));
            w.WriteEndObject();
            w.WriteStartObject("memory");
            w.WriteNumber("processPeakBytes", Process.GetCurrentProcess().PeakWorkingSet64);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        return exitCode;
    }

    /// <summary>A trace as <c>"steps"</c>, each step as a counterexample file writes it.</summary>
    public static void WriteSteps(Utf8JsonWriter w, Interleavings system, IEnumerable<RecordedStep> steps)
    {
        w.WriteStartArray("steps");
        foreach (var s in steps) CounterexampleFile.WriteStep(w, system, s);
        w.WriteEndArray();
    }

    /// <summary>An invariant as <c>"invariant"</c> (its id) and <c>"name"</c>.</summary>
    public static void WriteInvariant(Utf8JsonWriter w, Invariant invariant)
    {
        w.WriteString("invariant", invariant.Id);
        w.WriteString("name", invariant.Name);
    }

    public static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<object> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v.ToString());
        w.WriteEndArray();
    }
}
