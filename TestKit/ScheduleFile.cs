using System.Text;
using System.Text.Json;
using PageHintVerify.Model;
using PageHintVerify.Schedules;

namespace PageHintVerify.TestKit;

/// <summary>
/// A failing execution saved to replay: the table it ran on (by name in the file), the scenario, the schedule that fixes
/// the interleaving, and what the execution ended with. The project's files live under <c>schedules/</c>; <c>dotnet test</c>
/// replays each and checks that it ends exactly as recorded.
/// </summary>
public sealed record ScheduleFile(ScheduledTable Table, ConcurrentScenario Scenario, Schedule Schedule, Verdict Verdict, string Message)
{
    static readonly string[] Fields = ["table", "initial", "threads", "schedule", "contextSwitches", "verdict", "message"];

    public static ScheduleFile Of(ScheduledTable table, ConcurrentScenario scenario, ExecutionResult failure) =>
        new(table, scenario, failure.Schedule, failure.Verdict, failure.Message);

    /// <summary>The JSON text, one line per field and per thread so that a diff shows what changed.</summary>
    public string ToJson()
    {
        static string S(string s) => JsonSerializer.Serialize(s, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var text = new StringBuilder("{\n");
        text.Append($"  \"table\": {S(Table.Name)},\n");
        text.Append($"  \"initial\": [{string.Join(", ", Scenario.Initial.Select(p => S(p.ToString())))}],\n");
        text.Append("  \"threads\": [\n");
        text.AppendJoin(",\n", Scenario.Threads.Select(ops => $"    [{string.Join(", ", ops.Select(o => S(ScenarioText.Format(o))))}]"));
        text.Append("\n  ],\n");
        text.Append($"  \"schedule\": {S(Schedule.ToString())},\n");
        text.Append($"  \"contextSwitches\": {Schedule.ContextSwitches},\n");
        text.Append($"  \"verdict\": {S(Verdict.ToString())},\n");
        text.Append($"  \"message\": {S(Message)}\n}}\n");
        return text.ToString();
    }

    /// <summary>
    /// Reads a file whose table is one of <paramref name="tables"/> (by name); anything it cannot replay is an
    /// <see cref="InvalidDataException"/> naming the file and the problem.
    /// </summary>
    public static ScheduleFile Read(string path, IReadOnlyDictionary<string, ScheduledTable> tables)
    {
        string name = Path.GetFileName(path);
        InvalidDataException Bad(string problem) => new($"{name}: {problem}");
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e) { throw Bad($"not JSON: {e.Message}"); }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Bad("the file is not a JSON object");
            foreach (var field in root.EnumerateObject())
                if (!Fields.Contains(field.Name)) throw Bad($"unknown field '{field.Name}' (fields: {string.Join(", ", Fields)})");
            JsonElement Field(string f, JsonValueKind kind) =>
                root.TryGetProperty(f, out var v) && v.ValueKind == kind ? v : throw Bad($"'{f}' is missing or not a {kind.ToString().ToLowerInvariant()}");

            string tableName = Field("table", JsonValueKind.String).GetString()!;
            if (!tables.TryGetValue(tableName, out var table))
                throw Bad($"unknown table '{tableName}' (tables: {string.Join(", ", tables.Keys)})");
            var initial = Field("initial", JsonValueKind.Array).EnumerateArray().Select(p =>
                p.ValueKind == JsonValueKind.String && PageState.TryParse(p.GetString()!, out var page) && page.IsWellFormed
                    ? page : throw Bad($"initial page {p.GetRawText()} is not a well-formed page such as \"Sr d=0 mem=10 disk=00 want=⊥⊥\"")).ToArray();
            if (initial.Length is < 1 or > 4) throw Bad("'initial' holds 1 to 4 pages");
            var threads = Field("threads", JsonValueKind.Array).EnumerateArray().Select(ops =>
                ops.ValueKind != JsonValueKind.Array ? throw Bad("each thread is a list of operations") :
                ops.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String
                    ? ScenarioText.Parse(o.GetString()!, initial.Length, out var error) ?? throw Bad(error!)
                    : throw Bad($"operation {o} is not a string")).ToArray()).ToArray();
            if (threads.Length is < 1 or > 8) throw Bad("'threads' holds 1 to 8 threads");
            var schedule = Schedule.Parse(Field("schedule", JsonValueKind.String).GetString()!, threads.Length, out var wrong)
                           ?? throw Bad($"schedule: {wrong}");
            if (root.TryGetProperty("contextSwitches", out var switches) &&
                (!switches.TryGetInt32(out int n) || n != schedule.ContextSwitches))
                throw Bad($"'contextSwitches' is {switches}, but the schedule has {schedule.ContextSwitches}");
            string verdictText = Field("verdict", JsonValueKind.String).GetString()!;
            if (!Enum.TryParse<Verdict>(verdictText, out var verdict) || verdict is Verdict.Pruned or Verdict.Diverged)
                throw Bad($"unknown verdict '{verdictText}' (verdicts: Passed, Violation, Deadlock, Livelock, Crash)");
            return new ScheduleFile(table, new ConcurrentScenario(initial, threads), schedule, verdict,
                Field("message", JsonValueKind.String).GetString()!);
        }
    }

    /// <summary>Runs the schedule on the file's table.</summary>
    public ExecutionResult Replay()
    {
        using var scheduler = new Scheduler(Scenario.Threads.Length);
        return Explorer.Replay(scheduler, new TableExecution(Scenario, Table.Create), Schedule);
    }
}
