using System.Text;

namespace PageHintVerify.Properties.Adversarial;

/// <summary>
/// Generates hostile variants of valid inputs, deterministically from a seed: text edits (deletions, repeats,
/// truncations, hostile tokens) for any file, and value swaps for JSON fields. Each mutant is what a careless or
/// malicious user might hand the checker; the corpus asserts it either works or is refused in one line.
/// </summary>
public sealed class Mutants(int seed)
{
    readonly Random _random = new(seed);

    /// <summary>Tokens that break parsers: control characters, quotes, brackets, huge and odd numbers, invalid states.</summary>
    public static readonly string[] HostileTokens =
    [
        "", "\n", "\r\n", "\0", "\u001b[31m", "\t", "\"", "\\", "\\\"", "{", "}", "[", "]", "->", "=", ";", ",", "//", "/*", "*/",
        "digraph", "digraph G {", "label=", "style=dashed", "Up", "Pz", "Vp", "Pp", "Xr", "Uq", "UR", "Sr", "Vz -> Vr",
        "-1", "0", "0.5", "1e12", "1e400", "-0", "NaN", "Infinity", "99999999999999999999", "2147483648", "null", "true",
        "\u00e9", "\u2205", "\uFEFF", "\ud83d\ude00", "\u202e", new string('x', 5000), new string('[', 300), new string('{', 300),
    ];

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    public int Next(int max) => _random.Next(max);

    /// <summary>One to three random edits of <paramref name="text"/>.</summary>
    public string Edit(string text)
    {
        var s = new StringBuilder(text);
        for (int n = 1 + _random.Next(3); n > 0; n--)
        {
            int at = s.Length == 0 ? 0 : _random.Next(s.Length + 1);
            int len = s.Length - at == 0 ? 0 : _random.Next(Math.Min(40, s.Length - at) + 1);
            switch (_random.Next(6))
            {
                case 0: s.Remove(at, len); break;                                  // delete a span
                case 1: s.Insert(at, Pick(HostileTokens)); break;                  // insert a hostile token
                case 2: s.Insert(at, s.ToString(at, len)); break;                  // repeat a span
                case 3: s.Length = at; break;                                      // truncate
                case 4: s.Remove(at, len).Insert(at, Pick(HostileTokens)); break;  // replace a span
                default:                                                           // flip one character
                    if (s.Length > 0) s[Math.Min(at, s.Length - 1)] = (char)_random.Next(1, 128);
                    break;
            }
        }
        return s.ToString();
    }

    /// <summary>
    /// Edits that keep a digraph's shape but change its meaning: a line dropped or repeated, a state or label replaced
    /// by another valid one (so many mutants are real protocols, often nondeterministic or with gaps).
    /// </summary>
    public string EditLines(string text)
    {
        var lines = text.Split('\n').ToList();
        for (int n = 1 + _random.Next(3); n > 0 && lines.Count > 0; n--)
        {
            int i = _random.Next(lines.Count);
            switch (_random.Next(4))
            {
                case 0: lines.RemoveAt(i); break;
                case 1: lines.Insert(i, lines[i]); break;
                case 2:
                    foreach (var state in States)
                        if (lines[i].Contains(state)) { lines[i] = lines[i].Replace(state, Pick(States)); break; }
                    break;
                default:
                    foreach (var label in Labels)
                        if (lines[i].Contains(label)) { lines[i] = lines[i].Replace(label, Pick(Labels)); break; }
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    static readonly string[] States = ["Ur", "Uz", "Sr", "Sp", "Sz", "Vr", "Vz", "Pr"];
    static readonly string[] Labels = ["set stable", "set unused", "set volatile", "host swap", "guest access", "guest write", "host discard"];

    /// <summary>Plausible JSON values: the right kinds for most fields, so many mutants are valid, different configurations.</summary>
    public static readonly string[] PlausibleJsonValues =
    [
        "0", "1", "2", "null", "\"atomic\"", "\"naive\"", "\"cas\"", "\"reference\"", "\"graph1\"", "\"graph2\"", "\"page-cache\"",
        "\"ignore-results\"", "[\"swap out\"]", "[\"discard volatile\", \"evict unused\"]", "[[\"set_stable 0\", \"read(0) 0\"]]",
        // counterexample fields: other actors, phases, outcomes and pages than recorded (replay then diverges or not)
        "\"vcpu0\"", "\"host0\"", "\"load\"", "\"store\"", "\"whole\"", "\"Ok\"", "\"Failed\"", "\"Sr\"", "\"Vz\"", "false",
        "[\"Sr d=1 mem=10 disk=00 want=1⊥\"]", "[\"Uz d=0 mem=00 disk=00 want=⊥⊥\"]", "\"I1\"", "\"I2\"", "\"I4\"",
    ];

    /// <summary>JSON values of every kind and many ranges, to put where a field's value was.</summary>
    public static readonly string[] HostileJsonValues =
    [
        "null", "true", "false", "0", "1", "2", "3", "4", "5", "7", "8", "-1", "0.5", "1.5", "-0.0", "1e12", "1e400", "2147483648",
        "\"\"", "\"x\"", "\"1\"", "\"reference\"", "\"graph2\"", "\"any\"", "\"scripted\"", "\"cas\"", "\"naive\"",
        "\"\\u0000\"", "\"\\n\"", "\"/dev/zero\"", "\"/\"", "\"" + new string('a', 3000) + "\"",
        "[]", "[null]", "[[]]", "[[null]]", "[\"write(0) 0\"]", "[[\"write(0) 0\"]]", "[[\"write(0) 9\"]]", "[[\"read(1) 0\", 3]]",
        "[\"swap out\"]", "[\"nope\"]", "{}", "{\"a\": 1}", new string('[', 200) + new string(']', 200),
    ];

    /// <summary>Values of the right kind for a field, by name: a mutant that uses one is often a valid, different input.</summary>
    static readonly Dictionary<string, string[]> FieldValues = new()
    {
        ["pages"] = ["1", "2"], ["vcpus"] = ["null", "1", "2"], ["hostThreads"] = ["0", "1", "2"], ["iterations"] = ["1", "2"],
        ["program"] = ["\"page-cache\"", "\"ignore-results\""], ["granularity"] = ["\"atomic\"", "\"naive\"", "\"cas\""],
        ["variant"] = ["\"reference\"", "\"graph1\"", "\"graph2\""], ["hostActions"] = ["[\"swap out\"]", "[\"discard volatile\", \"evict unused\"]"],
        ["actor"] = ["\"vcpu0\"", "\"host0\""], ["phase"] = ["\"load\"", "\"store\"", "\"whole\""], ["outcome"] = ["\"Ok\"", "\"Failed\""],
        ["old"] = ["\"Sr\"", "\"Vz\""], ["gap"] = ["true", "false"], ["value"] = ["0", "1", "2"], ["page"] = ["0"], ["cell"] = ["0", "1"],
        ["invariant"] = ["\"I1\"", "\"I2\"", "\"I4\""], ["pagesAfter"] = ["[\"Sr d=1 mem=10 disk=00 want=1⊥\"]", "[\"Uz d=0 mem=00 disk=00 want=⊥⊥\"]"],
    };

    /// <summary>
    /// Replaces the value of one <c>"field": value</c> pair (a JSON scalar or a bracket) with another: of the field's own
    /// kind half the time, else a plausible or a hostile one.
    /// </summary>
    public string SwapJsonValue(string json)
    {
        var fields = new List<(string Name, int Start, int End)>();
        for (int i = json.IndexOf("\":", StringComparison.Ordinal); i >= 0; i = json.IndexOf("\":", i + 2, StringComparison.Ordinal))
        {
            int start = i + 2;
            while (start < json.Length && json[start] == ' ') start++;
            int end = ValueEnd(json, start);
            int open = json.LastIndexOf('"', Math.Max(0, i - 1));
            if (end > start) fields.Add((json[(open + 1)..i], start, end));
        }
        if (fields.Count == 0) return Edit(json);
        var (name, a, b) = Pick(fields);
        var value = FieldValues.TryGetValue(name, out var own) && _random.Next(2) == 0 ? Pick(own)
            : Pick(_random.Next(2) == 0 ? PlausibleJsonValues : HostileJsonValues);
        return json[..a] + value + json[b..];
    }

    /// <summary>Where a JSON value starting at <paramref name="start"/> ends: a balanced bracket, a string, or a scalar.</summary>
    static int ValueEnd(string json, int start)
    {
        if (start >= json.Length) return start;
        char c = json[start];
        if (c is '[' or '{')
        {
            int depth = 0;
            bool inString = false;
            for (int i = start; i < json.Length; i++)
            {
                char d = json[i];
                if (inString) { if (d == '\\') i++; else if (d == '"') inString = false; continue; }
                if (d == '"') inString = true;
                else if (d is '[' or '{') depth++;
                else if (d is ']' or '}' && --depth == 0) return i + 1;
            }
            return json.Length;
        }
        if (c == '"')
        {
            for (int i = start + 1; i < json.Length; i++)
            {
                if (json[i] == '\\') { i++; continue; }
                if (json[i] == '"') return i + 1;
            }
            return json.Length;
        }
        int e = start;
        while (e < json.Length && json[e] is not (',' or '}' or ']' or '\n')) e++;
        return e;
    }
}
