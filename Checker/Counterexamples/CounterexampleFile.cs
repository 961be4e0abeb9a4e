using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>
/// The JSON form of a <see cref="Counterexample"/>, schema version <see cref="Schema"/>: one line per step so that a diff
/// shows which step changed. Reading refuses anything it cannot replay with an <see cref="InputException"/> naming the
/// file and the problem.
/// </summary>
public static class CounterexampleFile
{
    public const int Schema = 1;

    static readonly string[] Fields = ["schema", "invariant", "foundBy", "shortestSteps", "configuration", "steps"];
    static readonly string[] StepFields = ["actor", "operation", "cell", "phase", "page", "result", "pagesAfter"];
    static readonly string[] ResultFields = ["old", "outcome", "value", "gap"];

    /// <summary>The names the file uses for phases: a whole atomic operation, or a part of a split one.</summary>
    static readonly IReadOnlyDictionary<string, Phase> PhaseNames = new Dictionary<string, Phase>
    {
        ["whole"] = Phase.Whole, ["load"] = Phase.Load, ["store"] = Phase.Commit, ["cas-fails"] = Phase.Retry, ["store-data"] = Phase.StoreData,
    };

    static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string path, Counterexample c)
    {
        try { File.WriteAllText(path, ToJson(c)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, $"cannot write: {e.Message}"); }
    }

    public static string ToJson(Counterexample c)
    {
        var system = new Interleavings(c.Configuration, Protocol.Reference); // only for actor names
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append($"  \"schema\": {Schema},\n");
        text.Append($"  \"invariant\": {Json(w => w.WriteStringValue(c.Invariant.Id))},\n");
        if (c.FoundBy is not null) text.Append($"  \"foundBy\": {Json(w => w.WriteStringValue(c.FoundBy))},\n");
        if (c.ShortestSteps is { } n) text.Append($"  \"shortestSteps\": {n},\n");
        text.Append($"  \"configuration\": {Json(c.Configuration.WriteJson)},\n");
        text.Append("  \"steps\": [\n");
        for (int i = 0; i < c.Steps.Count; i++)
            text.Append("    ").Append(Json(w => WriteStep(w, system, c.Steps[i]))).Append(i + 1 < c.Steps.Count ? ",\n" : "\n");
        text.Append("  ]\n}\n");
        return text.ToString();
    }

    static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Compact)) write(w);
        return Encoding.UTF8.GetString(stream.ToArray()).Replace(",\"", ", \"").Replace("\":", "\": ");
    }

    static void WriteStep(Utf8JsonWriter w, Interleavings system, RecordedStep s)
    {
        w.WriteStartObject();
        w.WriteString("actor", system.ActorName(s.Actor));
        w.WriteString("operation", OperationName(s));
        if (s.Op.HasCell) w.WriteNumber("cell", s.Op.Cell);
        w.WriteString("phase", PhaseNames.First(kv => kv.Value == s.Phase).Key);
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
        Operation.HostReclaim => s.Result is { } r ? HostActions.For(r.Old.G).Name() : "host reclaim",
        Operation.Read => "read",
        Operation.Write => "write",
        _ => s.Op.ToString(),
    };

    /// <summary>Reads and checks a file; every problem is one <see cref="InputException"/> naming it.</summary>
    public static Counterexample Read(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException(path, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot read: {e.Message}");
        }
        return Parse(path, text);
    }

    public static Counterexample Parse(string path, string text)
    {
        JsonElement root;
        try { root = JsonDocument.Parse(text).RootElement; }
        catch (JsonException e) { throw new InputException(path, $"not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(". ")[0]}"); }
        try
        {
            return Parse(path, root);
        }
        catch (ModelInputException e) { throw new InputException(path, $"variant: {e.Message}"); }
        catch (UsageException e) when (e is not InputException) { throw new InputException(path, e.Message); }
        catch (InvalidOperationException) { throw new InputException(path, "a field has the wrong JSON type"); }
    }

    static Counterexample Parse(string path, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new UsageException("expected a JSON object");
        Known(root, Fields, "");
        var schema = Required(root, "schema", "");
        if (schema.ValueKind != JsonValueKind.Number || !schema.TryGetInt32(out int version) || version != Schema)
            throw new UsageException($"schema version {schema.GetRawText()} is not supported (expected {Schema})");
        var invariant = Invariants.Find(Required(root, "invariant", "").GetString())
            ?? throw new UsageException($"unknown invariant {root.GetProperty("invariant").GetRawText()} (expected one of {string.Join(", ", Invariants.All.Select(i => i.Id))})");
        var config = Configuration.FromJson(Required(root, "configuration", ""), path);
        var system = new Interleavings(config, Variants.Resolve(config.Variant));
        var stepsJson = Required(root, "steps", "");
        if (stepsJson.ValueKind != JsonValueKind.Array || stepsJson.GetArrayLength() == 0) throw new UsageException("\"steps\" must be a non-empty array");
        var steps = stepsJson.EnumerateArray().Select((s, i) => ParseStep(s, $"step {i + 1}: ", system)).ToList();
        string? foundBy = root.TryGetProperty("foundBy", out var f) ? f.GetString() : null;
        int? shortest = root.TryGetProperty("shortestSteps", out var n) ? n.GetInt32() : null;
        return new Counterexample(config, invariant, steps, foundBy, shortest);
    }

    static RecordedStep ParseStep(JsonElement s, string where, Interleavings system)
    {
        if (s.ValueKind != JsonValueKind.Object) throw new UsageException($"{where}expected a JSON object");
        Known(s, StepFields, where);
        string actorName = Required(s, "actor", where).GetString() ?? "";
        var actors = Enumerable.Range(0, system.ActorCount).Select(system.ActorName).ToList();
        int actor = actors.IndexOf(actorName);
        if (actor < 0) throw new UsageException($"{where}unknown actor '{actorName}' (this configuration has {string.Join(", ", actors)})");

        string opName = Required(s, "operation", where).GetString() ?? "";
        bool hasCell = s.TryGetProperty("cell", out var cellJson);
        int cell = hasCell ? cellJson.GetInt32() : 0;
        if (cell is < 0 or >= PageState.Cells) throw new UsageException($"{where}cell {cell} out of range (cells 0..{PageState.Cells - 1})");
        string full = opName is "read" or "write" ? $"{opName}({cell})" : opName;
        if (!PageOp.TryParse(full, out var op))
            throw new UsageException($"{where}unknown operation '{opName}' (operations: {string.Join(", ", PageOp.AllGuest.Select(o => o.Op).Distinct().Select(o => o.Name()))}, or a host action)");
        if (op.HasCell != hasCell) throw new UsageException($"{where}{(op.HasCell ? $"{opName} needs a cell" : $"{opName} takes no cell")}");
        bool isHost = actor >= system.Configuration.VcpuCount;
        if (isHost == op.IsGuest) throw new UsageException($"{where}{actorName} cannot {opName}: {(isHost ? "a host thread only reclaims" : "only host threads reclaim")}");

        string phaseName = Required(s, "phase", where).GetString() ?? "";
        if (!PhaseNames.TryGetValue(phaseName, out var phase)) throw new UsageException($"{where}unknown phase '{phaseName}' (phases: {string.Join(", ", PhaseNames.Keys)})");

        int page = Required(s, "page", where).GetInt32();
        if (page < 0 || page >= system.PageCount) throw new UsageException($"{where}page {page} out of range (pages 0..{system.PageCount - 1})");

        OpResult? result = s.TryGetProperty("result", out var r) ? ParseResult(r, where) : null;
        if (op.Op == Operation.HostReclaim && result is { } hr && opName != "host reclaim" && HostActions.For(hr.Old.G).Name() != opName)
            throw new UsageException($"{where}'{opName}' is not the host action in {hr.Old} (that is {HostActions.For(hr.Old.G).Name()})");

        PageState[]? pages = null;
        if (s.TryGetProperty("pagesAfter", out var pj))
        {
            if (pj.ValueKind != JsonValueKind.Array || pj.GetArrayLength() != system.PageCount)
                throw new UsageException($"{where}\"pagesAfter\" must list {system.PageCount} page state{(system.PageCount == 1 ? "" : "s")}");
            pages = pj.EnumerateArray().Select((p, i) =>
                PageState.TryParse(p.GetString() ?? "", out var ps) && ps.IsEncodable ? ps
                    : throw new UsageException($"{where}page {i} after it: cannot parse '{p.GetString()}' (expected e.g. \"Sr d=1 mem=10 disk=00 want=1⊥\")")).ToArray();
        }
        return new RecordedStep(actor, op, page, phase, result, pages);
    }

    static OpResult ParseResult(JsonElement r, string where)
    {
        if (r.ValueKind != JsonValueKind.Object) throw new UsageException($"{where}\"result\" must be a JSON object");
        Known(r, ResultFields, where + "result: ");
        string oldText = Required(r, "old", where + "result: ").GetString() ?? "";
        if (!GuestHostState.TryParse(oldText, out var old)) throw new UsageException($"{where}result: '{oldText}' is not a page state such as Sr or Vz");
        string outcomeText = Required(r, "outcome", where + "result: ").GetString() ?? "";
        if (!Enum.GetNames<Outcome>().Contains(outcomeText))
            throw new UsageException($"{where}result: unknown outcome '{outcomeText}' (outcomes: {string.Join(", ", Enum.GetNames<Outcome>())})");
        int value = r.TryGetProperty("value", out var v) ? v.GetInt32() : 0;
        if (value is < 0 or > 2) throw new UsageException($"{where}result: value {value} out of range 0..2");
        bool gap = r.TryGetProperty("gap", out var g) && g.GetBoolean();
        return new OpResult(old, Enum.Parse<Outcome>(outcomeText), (byte)value, gap);
    }

    static JsonElement Required(JsonElement o, string name, string where) =>
        o.TryGetProperty(name, out var v) ? v : throw new UsageException($"{where}missing field \"{name}\"");

    static void Known(JsonElement o, string[] fields, string where)
    {
        foreach (var p in o.EnumerateObject())
            if (!fields.Contains(p.Name)) throw new UsageException($"{where}unknown field \"{p.Name}\" (fields: {string.Join(", ", fields)})");
    }
}
