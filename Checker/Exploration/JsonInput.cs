using System.Text.Json;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// Reading the JSON input files (configurations, counterexamples) so that any text is either read or refused with one
/// line: the file through <see cref="InputText"/> (size cap, UTF-8), and each value through a typed reader that names
/// the field and says what it expected — no null, fraction, overflow or string where a number belongs gets further.
/// Readers throw <see cref="UsageException"/>s without the file; the loader adds it.
/// </summary>
public static class JsonInput
{
    /// <summary>Reads and parses a file; every problem is an <see cref="InputException"/> naming it.</summary>
    /// <param name="lenient">Allow comments and trailing commas, for files people write by hand.</param>
    public static JsonElement Load(string path, bool lenient)
    {
        string text;
        try { text = InputText.Read(path); }
        catch (ModelInputException e) { throw new InputException(e.File, e.Problem); }
        return Parse(path, text, lenient);
    }

    /// <summary>Parses <paramref name="text"/>; also refuses a string that is not text (a lone surrogate escape), which
    /// the typed readers could not read.</summary>
    public static JsonElement Parse(string path, string text, bool lenient)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(text, new JsonDocumentOptions
            {
                AllowTrailingCommas = lenient,
                CommentHandling = lenient ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            }).RootElement;
        }
        catch (JsonException e) { throw new InputException(InputText.Name(path), $"not valid JSON (line {e.LineNumber + 1}): {InputText.Clean(e.Message.Split(". ")[0], 120)}"); }
        try { CheckText(root); }
        catch (InvalidOperationException) { throw new InputException(InputText.Name(path), "a string holds a \\u escape that is half of a character (a lone surrogate): not text"); }
        return root;
    }

    static void CheckText(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    _ = p.Name;
                    CheckText(p.Value);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray()) CheckText(item);
                break;
            case JsonValueKind.String:
                _ = e.GetString();
                break;
        }
    }

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static int Int(JsonElement v, string field, int min, int max)
    {
        string range = min == max ? $"{min}" : $"a whole number from {min} to {max}";
        if (v.ValueKind != JsonValueKind.Number) throw WrongType(v, field, range);
        if (!v.TryGetInt32(out int n) || n < min || n > max)
            throw new UsageException($"{field} must be {range} (got {InputText.Plain(v.GetRawText(), 40)})");
        return n;
    }

    public static string String(JsonElement v, string field) =>
        v.ValueKind == JsonValueKind.String ? v.GetString()! : throw WrongType(v, field, "a string");

    public static bool Bool(JsonElement v, string field) => v.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WrongType(v, field, "true or false"),
    };

    /// <summary>The items of a list, each read by <paramref name="item"/> with its 1-based number.</summary>
    public static List<T> List<T>(JsonElement v, string field, string expected, Func<JsonElement, string, T> item)
    {
        if (v.ValueKind != JsonValueKind.Array) throw WrongType(v, field, expected);
        return v.EnumerateArray().Select((e, i) => item(e, $"{field} item {i + 1}")).ToList();
    }

    public static List<string> Strings(JsonElement v, string field) => List(v, field, "a list of strings", String);

    public static UsageException WrongType(JsonElement v, string field, string expected) =>
        new($"{field} has the wrong type: expected {expected}, got {Kind(v)}");

    /// <summary>What a value is, for messages: <c>null</c>, <c>a string</c>, <c>the number 1.5</c>, ….</summary>
    public static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => $"the number {InputText.Plain(v.GetRawText(), 40)}",
        JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Array => "a list",
        _ => "an object",
    };
}

/// <summary>
/// A JSON object of an input file, read field by field: it refuses a value that is not an object, an unknown field and a
/// field given twice (JSON would keep one silently), and names each field in messages as <c>where field "name"</c>.
/// </summary>
public sealed class JsonFields
{
    readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);
    readonly string _where;

    /// <summary>The fields in the order the file gives them.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <param name="where">What the object is, as a message prefix such as <c>step 3: </c> (empty at the top).</param>
    public JsonFields(JsonElement o, string where, IReadOnlyCollection<string> known)
    {
        _where = where;
        if (o.ValueKind != JsonValueKind.Object)
            throw new UsageException($"{where}expected a JSON object {{ ... }}, got {JsonInput.Kind(o)}");
        var names = new List<string>();
        foreach (var p in o.EnumerateObject())
        {
            if (!known.Contains(p.Name))
                throw new UsageException($"{where}unknown field {InputText.Quote(p.Name)} (fields: {string.Join(", ", known)})");
            if (!_fields.TryAdd(p.Name, p.Value)) throw new UsageException($"{where}field \"{p.Name}\" given twice");
            names.Add(p.Name);
        }
        Names = names;
    }

    /// <summary>The field as messages name it.</summary>
    public string Field(string name) => $"{_where}field \"{name}\"";

    public bool Has(string name) => _fields.ContainsKey(name);

    public JsonElement this[string name] =>
        _fields.TryGetValue(name, out var v) ? v : throw new UsageException($"{_where}missing field \"{name}\"");

    public int Int(string name, int min, int max) => JsonInput.Int(this[name], Field(name), min, max);
    public string String(string name) => JsonInput.String(this[name], Field(name));
    public bool Bool(string name) => JsonInput.Bool(this[name], Field(name));
}
