using System.Text.Json;

namespace PageHintVerify.Properties.Output;

/// <summary>
/// A validator for the subset of JSON Schema (2020-12) that docs/pagehint-output.schema.json uses: type (one or a
/// list), const, enum, required, properties, additionalProperties: false, items, minimum, oneOf and local $ref.
/// Any other keyword is refused, so the schema cannot silently say more than this checks.
/// </summary>
public sealed class JsonSchemaSubset(JsonElement root)
{
    static readonly HashSet<string> Known =
        ["$schema", "$id", "$defs", "title", "description", "type", "const", "enum", "required", "properties", "additionalProperties", "items", "minimum", "oneOf", "$ref"];

    /// <summary>Every problem of <paramref name="value"/> against the schema, each with its JSON path; empty when valid.</summary>
    public List<string> Validate(JsonElement value) => Validate(root, value, "$");

    List<string> Validate(JsonElement schema, JsonElement value, string path)
    {
        var problems = new List<string>();
        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Value;
            switch (keyword.Name)
            {
                case var unknown when !Known.Contains(unknown):
                    throw new NotSupportedException($"schema keyword {unknown} is not in the subset this validator checks");
                case "$ref":
                    var target = k.GetString()!;
                    if (!target.StartsWith("#/$defs/")) throw new NotSupportedException($"$ref {target}");
                    problems.AddRange(Validate(root.GetProperty("$defs").GetProperty(target["#/$defs/".Length..]), value, path));
                    break;
                case "type":
                    var types = k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().Select(t => t.GetString()!).ToList() : [k.GetString()!];
                    if (!types.Any(t => HasType(value, t))) problems.Add($"{path}: {value.ValueKind} is not {string.Join(" or ", types)}");
                    break;
                case "const":
                    if (!JsonElement.DeepEquals(k, value)) problems.Add($"{path}: {value.GetRawText()} is not {k.GetRawText()}");
                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value))) problems.Add($"{path}: {value.GetRawText()} is not one of {k.GetRawText()}");
                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < k.GetDouble()) problems.Add($"{path}: {value.GetRawText()} < {k.GetRawText()}");
                    break;
                case "required" when value.ValueKind == JsonValueKind.Object:
                    foreach (var name in k.EnumerateArray().Select(n => n.GetString()!))
                        if (!value.TryGetProperty(name, out _)) problems.Add($"{path}: missing {name}");
                    break;
                case "properties" when value.ValueKind == JsonValueKind.Object:
                    foreach (var p in value.EnumerateObject())
                        if (k.TryGetProperty(p.Name, out var sub)) problems.AddRange(Validate(sub, p.Value, $"{path}.{p.Name}"));
                    break;
                case "additionalProperties" when value.ValueKind == JsonValueKind.Object:
                    if (k.ValueKind != JsonValueKind.False) throw new NotSupportedException("additionalProperties other than false");
                    var declared = schema.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
                    foreach (var p in value.EnumerateObject())
                        if (!declared.Contains(p.Name)) problems.Add($"{path}: unexpected field {p.Name}");
                    break;
                case "items" when value.ValueKind == JsonValueKind.Array:
                    int i = 0;
                    foreach (var item in value.EnumerateArray()) problems.AddRange(Validate(k, item, $"{path}[{i++}]"));
                    break;
                case "oneOf":
                    int matches = k.EnumerateArray().Count(s => Validate(s, value, path).Count == 0);
                    if (matches != 1) problems.Add($"{path}: matches {matches} of the oneOf schemas, not exactly one");
                    break;
            }
        }
        return problems;
    }

    static bool HasType(JsonElement v, string type) => type switch
    {
        "object" => v.ValueKind == JsonValueKind.Object,
        "array" => v.ValueKind == JsonValueKind.Array,
        "string" => v.ValueKind == JsonValueKind.String,
        "number" => v.ValueKind == JsonValueKind.Number,
        "integer" => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out _),
        "boolean" => v.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => v.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"type {type}"),
    };
}
