using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>
/// The JSON form of a <see cref="Counterexample"/>: one line per step so that a diff shows which step changed. Schema 2
/// adds <c>graph</c>, the digraph of a graph variant with its SHA-256, so the file replays from any folder; a file
/// without one (the reference) is written as schema 1, which schema 2 does not change, and schema 1 files of a graph
/// variant still load, finding the variant by name or by a path taken from the file's folder. Reading refuses
/// anything it cannot replay with an <see cref="InputException"/> naming the file and the problem.
/// </summary>
public static class CounterexampleFile
{
    /// <summary>The schema versions this reader reads: 1 (no embedded graph) and 2 (the graph embedded).</summary>
    public const int Schema = 2, FirstSchema = 1;

    static readonly string[] Fields = ["schema", "invariant", "foundBy", "shortestSteps", "configuration", "graph", "steps"];
    static readonly string[] GraphFields = ["sha256", "text"];
    static readonly string[] StepFields = ["actor", "operation", "cell", "phase", "page", "result", "pagesAfter"];
    static readonly string[] ResultFields = ["old", "outcome", "value", "gap"];

    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes the file whole or not at all: to a temporary file beside it, then renamed over it, so a crash or a full
    /// disk never leaves a half-written counterexample for <c>dotnet test</c> to trip on.
    /// </summary>
    public static void Write(string path, Counterexample c)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path) ?? "", $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporary, ToJson(c));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { } // the error below says what matters
            throw new InputException(InputText.Name(path), $"cannot write: {e.Message}");
        }
    }

    public static string ToJson(Counterexample c)
    {
        var system = new Interleavings(c.Configuration, Protocol.Reference); // only for actor names
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append($"  \"schema\": {(c.Graph is null ? FirstSchema : Schema)},\n");
        text.Append($"  \"invariant\": {Json(w => w.WriteStringValue(c.Invariant.Id))},\n");
        if (c.FoundBy is not null) text.Append($"  \"foundBy\": {Json(w => w.WriteStringValue(c.FoundBy))},\n");
        if (c.ShortestSteps is { } n) text.Append($"  \"shortestSteps\": {n},\n");
        text.Append($"  \"configuration\": {Json(c.Configuration.WriteJson)},\n");
        if (c.Graph is { } graph)
            text.Append($"  \"graph\": {Json(w => { w.WriteStartObject(); w.WriteString("sha256", Sha256(graph)); w.WriteString("text", graph); w.WriteEndObject(); })},\n");
        text.Append("  \"steps\": [\n");
        for (int i = 0; i < c.Steps.Count; i++)
            text.Append("    ").Append(Json(w => WriteStep(w, system, c.Steps[i]))).Append(i + 1 < c.Steps.Count ? ",\n" : "\n");
        text.Append("  ]\n}\n");
        return text.ToString();
    }

    /// <summary>The SHA-256 of a text's UTF-8 bytes, in lower-case hex.</summary>
    static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Compact)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray()).Replace(",\"", ", \"").Replace("\":", "\": ");
    }

    /// <summary>One step as JSON, the one definition of a step that counterexample files and <c>--json</c> reports share.</summary>
    public static void WriteStep(Utf8JsonWriter w, Interleavings system, RecordedStep s)
    {
        w.WriteStartObject();
        w.WriteString("actor", system.ActorName(s.Actor));
        w.WriteString("operation", OperationName(s));
        if (s.Op.HasCell) w.WriteNumber("cell", s.Op.Cell);
        w.WriteString("phase", StepText.Name(s.Phase));
        w.WriteNumber("page", s.Page);
        if (s.Result is { } r)
        {
            w.WriteStartObject("result");
            w.WriteString("old", r.Old.ToString());
            w.WriteString("outcome", r.Outcome.ToString());
            w.WriteNumber("value", r.Value);
            w.WriteBoolean("gap", r.Gap);
            w.WriteEndObject();
        }
        if (s.PagesAfter is { } pages)
        {
            w.WriteStartArray("pagesAfter");
            foreach (var p in pages) w.WriteStringValue(p.ToString());
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>A guest operation without its cell (<c>read</c>, <c>set_volatile(w=1)</c>); a host reclaim as the action it is.</summary>
    static string OperationName(RecordedStep s) => s.Op.Op switch
    {
        Operation.Read => "read",
        Operation.Write => "write",
        _ => StepText.Operation(s.Op, s.Result?.Old),
    };

    /// <summary>Reads and checks a file; every problem is one <see cref="InputException"/> naming it.</summary>
    public static Counterexample Read(string path) => Parse(path, JsonInput.Load(path, lenient: false));

    public static Counterexample Parse(string path, string text) => Parse(path, JsonInput.Parse(path, text, lenient: false));

    static Counterexample Parse(string path, JsonElement root)
    {
        try { return Read(path, root); }
        catch (ModelInputException e) { throw new InputException(InputText.Name(path), e.File == Counterexample.GraphFile ? e.Message : $"variant: {e.Message}"); }
        catch (UsageException e) when (e is not InputException) { throw new InputException(InputText.Name(path), e.Message); }
    }

    static Counterexample Read(string path, JsonElement root)
    {
        var o = new JsonFields(root, "", Fields);
        var schema = o["schema"];
        if (schema.ValueKind != JsonValueKind.Number || !schema.TryGetInt32(out int version) || version is < FirstSchema or > Schema)
            throw new UsageException($"schema version {InputText.Plain(schema.GetRawText(), 40)} is not supported (expected {FirstSchema} or {Schema})");
        var invariantName = o.String("invariant");
        var invariant = Invariants.Find(invariantName)
            ?? throw new UsageException($"unknown invariant {InputText.Quote(invariantName)} (expected one of {string.Join(", ", Invariants.All.Select(i => i.Id))})");
        var config = Configuration.FromJson(o["configuration"], path, "configuration: ");
        string? graph = ReadGraph(o, version, config.Variant);
        // Without an embedded graph (schema 1), a variant file is found as a configuration's is: from the file's folder.
        if (graph is null) config = config with { Variant = Variants.RelativeTo(config.Variant, Path.GetDirectoryName(path) ?? "") };
        var counterexample = new Counterexample(config, invariant, [], Graph: graph);
        var system = new Interleavings(config, counterexample.Variant());
        var steps = JsonInput.List(o["steps"], o.Field("steps"), "a list of steps", (s, _) => s)
            .Select((s, i) => ParseStep(s, $"step {i + 1}: ", system)).ToList();
        if (steps.Count == 0) throw new UsageException($"{o.Field("steps")} must list at least one step");
        return counterexample with
        {
            Steps = steps,
            FoundBy = o.Has("foundBy") ? o.String("foundBy") : null,
            // Minimizing only removes steps: the breadth-first trace is never shorter than the one kept.
            ShortestSteps = o.Has("shortestSteps") ? o.Int("shortestSteps", steps.Count, int.MaxValue) : null,
        };
    }

    /// <summary>The embedded graph: required in schema 2 for every variant but the reference, absent otherwise; its
    /// SHA-256 must match, so a hand edit of the text is caught before it changes what the file replays.</summary>
    static string? ReadGraph(JsonFields o, int version, string variant)
    {
        bool needed = version >= Schema && variant != Variants.Reference;
        if (!o.Has("graph"))
            return needed ? throw new UsageException($"missing field \"graph\": a schema {Schema} counterexample of a graph variant carries its digraph") : null;
        if (!needed)
            throw new UsageException(version < Schema
                ? $"{o.Field("graph")} is new in schema {Schema} (this file says schema {version})"
                : $"{o.Field("graph")} is for graph variants (the variant is {Variants.Reference})");
        var g = new JsonFields(o["graph"], "graph: ", GraphFields);
        string text = g.String("text"), recorded = g.String("sha256"), actual = Sha256(text);
        if (!string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"graph: the text's SHA-256 is {actual}, not the recorded {InputText.Quote(recorded)}: the embedded graph was changed");
        return text;
    }

    static RecordedStep ParseStep(JsonElement json, string where, Interleavings system)
    {
        var s = new JsonFields(json, where, StepFields);
        string actorName = s.String("actor");
        var actors = Enumerable.Range(0, system.ActorCount).Select(system.ActorName).ToList();
        int actor = actors.IndexOf(actorName);
        if (actor < 0) throw new UsageException($"{where}unknown actor {InputText.Word(actorName)} (this configuration has {string.Join(", ", actors)})");

        string opName = s.String("operation");
        bool hasCell = s.Has("cell");
        int cell = hasCell ? s.Int("cell", 0, PageState.Cells - 1) : 0;
        string full = opName is "read" or "write" ? $"{opName}({cell})" : opName;
        if (!PageOp.TryParse(full, out var op))
            throw new UsageException($"{where}unknown operation {InputText.Word(opName)} (operations: {string.Join(", ", PageOp.AllGuest.Select(o => o.Op).Distinct().Select(o => o.Name()))}, or a host action)");
        if (op.HasCell != hasCell) throw new UsageException($"{where}{(op.HasCell ? $"{opName} needs a cell" : $"{opName} takes no cell")}");
        bool isHost = actor >= system.Configuration.VcpuCount;
        if (isHost == op.IsGuest) throw new UsageException($"{where}{actorName} cannot {opName}: {(isHost ? "a host thread only reclaims" : "only host threads reclaim")}");

        string phaseName = s.String("phase");
        if (!StepText.TryParsePhase(phaseName, out var phase)) throw new UsageException($"{where}unknown phase {InputText.Word(phaseName)} (phases: {string.Join(", ", StepText.Names)})");

        int page = s.Int("page", 0, system.PageCount - 1);

        OpResult? result = s.Has("result") ? ParseResult(s["result"], where) : null;
        if (op.Op == Operation.HostReclaim && result is { } hr && opName != "host reclaim" && HostActions.For(hr.Old.G).Name() != opName)
            throw new UsageException($"{where}'{opName}' is not the host action in {hr.Old} (that is {HostActions.For(hr.Old.G).Name()})");

        PageState[]? pages = null;
        if (s.Has("pagesAfter"))
        {
            var states = JsonInput.Strings(s["pagesAfter"], s.Field("pagesAfter"));
            if (states.Count != system.PageCount)
                throw new UsageException($"{s.Field("pagesAfter")} must list {system.PageCount} page state{(system.PageCount == 1 ? "" : "s")} (got {states.Count})");
            pages = states.Select((p, i) =>
                PageState.TryParse(p, out var ps) && ps.IsEncodable ? ps
                    : throw new UsageException($"{where}page {i} after it: cannot parse {InputText.Word(p)} (expected e.g. \"Sr d=1 mem=10 disk=00 want=1⊥\")")).ToArray();
        }
        return new RecordedStep(actor, op, page, phase, result, pages);
    }

    static OpResult ParseResult(JsonElement json, string where)
    {
        var r = new JsonFields(json, where + "result: ", ResultFields);
        string oldText = r.String("old");
        if (!GuestHostState.TryParse(oldText, out var old)) throw new UsageException($"{where}result: {InputText.Word(oldText)} is not a page state such as Sr or Vz");
        string outcomeText = r.String("outcome");
        if (!Enum.GetNames<Outcome>().Contains(outcomeText))
            throw new UsageException($"{where}result: unknown outcome {InputText.Word(outcomeText)} (outcomes: {string.Join(", ", Enum.GetNames<Outcome>())})");
        int value = r.Has("value") ? r.Int("value", 0, 2) : 0;
        bool gap = r.Has("gap") && r.Bool("gap");
        return new OpResult(old, Enum.Parse<Outcome>(outcomeText), (byte)value, gap);
    }
}
