using System.Diagnostics;
using System.Text.Json;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>How finely operations are split into atomic steps (SPEC section 6).</summary>
public enum Granularity : byte
{
    /// <summary>Every operation of SPEC section 3 is one step.</summary>
    Atomic,
    /// <summary>Usage-state changes, host reclaim and writes load the state word, then store what they decided.</summary>
    Naive,
    /// <summary>As naive, but the store is a compare-and-swap that retries, and a write pins the page while storing data.</summary>
    Cas,
}

/// <summary>The guest programs of the checker issue: SPEC section 6's page cache, its careless twin, the most general guest, and scripts.</summary>
public enum ProgramKind : byte { PageCache, IgnoreResults, Any, Scripted }

/// <summary>
/// Everything that fixes a state space: pages, vCPUs and what they run, host threads, the protocol variant, the step
/// granularity and the loop bound. Given by options or a JSON file (<see cref="Load"/>); <see cref="Validate"/> refuses
/// impossible ones with a one-line reason.
/// </summary>
public sealed record Configuration
{
    public int Pages { get; init; } = 1;
    /// <summary>Guest vCPUs; null means one per page.</summary>
    public int? Vcpus { get; init; }
    public int HostThreads { get; init; } = 1;
    public ProgramKind Program { get; init; } = ProgramKind.PageCache;
    public string Variant { get; init; } = "reference";
    public Granularity Granularity { get; init; } = Granularity.Atomic;
    /// <summary>How many times each page-cache loop runs per page.</summary>
    public int Iterations { get; init; } = 1;
    /// <summary>For <see cref="ProgramKind.Scripted"/>: each vCPU's steps, as "operation page", e.g. "write(0) 1".</summary>
    public IReadOnlyList<IReadOnlyList<string>>? Scripts { get; init; }
    /// <summary>What the host threads may do (SPEC section 6); null means every host action of SPEC section 3.</summary>
    public IReadOnlyList<HostAction>? AllowedHostActions { get; init; }

    /// <summary>Whether the host threads may take <paramref name="action"/>.</summary>
    public bool HostMay(HostAction action) => AllowedHostActions is null || AllowedHostActions.Contains(action);

    public int VcpuCount => Program == ProgramKind.Scripted && Scripts is not null ? Scripts.Count : Vcpus ?? Pages;

    public const int MaxPages = 4, MaxVcpus = 4, MaxHostThreads = 3, MaxIterations = 7;

    public static readonly IReadOnlyDictionary<string, ProgramKind> ProgramNames = new Dictionary<string, ProgramKind>
    {
        ["page-cache"] = ProgramKind.PageCache, ["ignore-results"] = ProgramKind.IgnoreResults,
        ["any"] = ProgramKind.Any, ["scripted"] = ProgramKind.Scripted,
    };

    public static readonly IReadOnlyDictionary<string, Granularity> GranularityNames = new Dictionary<string, Granularity>
    {
        ["atomic"] = Granularity.Atomic, ["naive"] = Granularity.Naive, ["cas"] = Granularity.Cas,
    };

    public static string NameOf(ProgramKind p) => ProgramNames.First(kv => kv.Value == p).Key;
    public static string NameOf(Granularity g) => GranularityNames.First(kv => kv.Value == g).Key;

    /// <summary>Refuses configurations that cannot be explored, naming the field.</summary>
    public Configuration Validate()
    {
        Check(Pages is >= 1 and <= MaxPages, $"pages must be 1 to {MaxPages} (got {Pages})");
        Check(VcpuCount is >= 1 and <= MaxVcpus, $"vcpus must be 1 to {MaxVcpus} (got {VcpuCount})");
        Check(HostThreads is >= 0 and <= MaxHostThreads, $"host threads must be 0 to {MaxHostThreads} (got {HostThreads})");
        Check(Iterations is >= 1 and <= MaxIterations, $"iterations must be 1 to {MaxIterations} (got {Iterations})");
        if (Program is ProgramKind.PageCache or ProgramKind.IgnoreResults)
            Check(VcpuCount <= Pages, $"the {NameOf(Program)} program gives each vCPU its own pages: {VcpuCount} vCPUs need at least {VcpuCount} pages (got {Pages})");
        if (Program == ProgramKind.Scripted)
        {
            Check(Scripts is { Count: > 0 }, "the scripted program needs scripts (a JSON configuration with \"scripts\": [[\"set_stable 0\", ...], ...])");
            // A script runs once, on the vCPU it is given to: refuse the fields a scripted program would ignore.
            Check(Iterations == 1, $"iterations are for the page-cache programs: a script runs once (got iterations {Iterations})");
            Check(Vcpus is null || Vcpus == Scripts!.Count, $"a scripted program runs one vCPU per script: {Scripts!.Count} script{(Scripts.Count == 1 ? "" : "s")}, not vcpus {Vcpus}");
            for (int v = 0; v < Scripts.Count; v++)
            {
                Check(Scripts[v].Count is > 0 and <= GuestProgram.MaxScriptSteps,
                    $"vCPU {v} script must have 1 to {GuestProgram.MaxScriptSteps:N0} steps (got {Scripts[v].Count:N0})");
                GuestProgram.Scripted(Scripts[v], Pages, $"vCPU {v} script");
            }
        }
        else
            Check(Scripts is null, $"scripts are only for the scripted program (program is {NameOf(Program)})");
        if (AllowedHostActions is { } actions)
        {
            Check(actions.Count > 0, "hostActions is empty: host threads that may do nothing; for no host thread give hostThreads 0");
            if (actions.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new UsageException($"hostActions names \"{twice.Key.Name()}\" twice");
        }
        return this;
    }

    static void Check(bool ok, string message)
    {
        if (!ok) throw new UsageException(message);
    }

    /// <summary>One line naming the configuration, for summaries and counterexample files.</summary>
    public override string ToString() =>
        $"{Variant}, {NameOf(Granularity)}, {Pages} page{(Pages == 1 ? "" : "s")}, {VcpuCount} vCPU{(VcpuCount == 1 ? "" : "s")} running {NameOf(Program)}"
        + (Program is ProgramKind.PageCache or ProgramKind.IgnoreResults ? $" ×{Iterations}" : "")
        + $", {HostThreads} host thread{(HostThreads == 1 ? "" : "s")}"
        + (AllowedHostActions is null ? "" : $" that may only {string.Join(" or ", AllowedHostActions.Select(a => a.Name()))}");

    static readonly string[] Fields = ["pages", "vcpus", "hostThreads", "program", "variant", "granularity", "iterations", "scripts", "hostActions"];

    /// <summary>
    /// Reads a JSON configuration file; every problem is an <see cref="InputException"/> naming the file. A relative
    /// variant path is taken from the file's folder (<see cref="Variants.RelativeTo"/>), and the variant is loaded
    /// here, so a bad one is refused naming both files.
    /// </summary>
    public static Configuration Load(string path)
    {
        var c = FromJson(JsonInput.Load(path, lenient: true), path);
        var variant = Variants.RelativeTo(c.Variant, Path.GetDirectoryName(path) ?? "");
        try { Variants.Resolve(variant); }
        catch (ModelInputException e) { throw new InputException(InputText.Name(path), $"variant: {e.Message}"); }
        return c with { Variant = variant };
    }

    /// <summary>Reads a configuration from a JSON object (as in a configuration or counterexample file); problems name
    /// <paramref name="path"/>, then <paramref name="where"/> (such as <c>configuration: </c>) when the object is inside another.</summary>
    public static Configuration FromJson(JsonElement root, string path, string where = "")
    {
        try { return Read(root).Validate(); }
        catch (UsageException e) when (e is not InputException) { throw new InputException(InputText.Name(path), where + e.Message); }
    }

    static Configuration Read(JsonElement root)
    {
        var o = new JsonFields(root, "", Fields);
        var c = new Configuration();
        foreach (var name in o.Names)
        {
            var v = o[name];
            string field = o.Field(name);
            c = name switch
            {
                "pages" => c with { Pages = JsonInput.Int(v, field, 1, MaxPages) },
                "vcpus" => c with { Vcpus = v.ValueKind == JsonValueKind.Null ? null : JsonInput.Int(v, field, 1, MaxVcpus) },
                "hostThreads" => c with { HostThreads = JsonInput.Int(v, field, 0, MaxHostThreads) },
                "iterations" => c with { Iterations = JsonInput.Int(v, field, 1, MaxIterations) },
                "variant" => c with { Variant = Printable(JsonInput.String(v, field), field) },
                "program" => c with { Program = Pick(ProgramNames, JsonInput.String(v, field), "program") },
                "granularity" => c with { Granularity = Pick(GranularityNames, JsonInput.String(v, field), "granularity") },
                "scripts" => c with { Scripts = JsonInput.List(v, field, "a list of scripts, each a list of strings", JsonInput.Strings) },
                "hostActions" => c with { AllowedHostActions = JsonInput.List(v, field, "a list of host actions", (a, item) => HostActionNamed(JsonInput.String(a, item))) },
                _ => throw new UnreachableException($"field {name} is in Fields but not read"),
            };
        }
        return c;
    }

    /// <summary>Writes every field, in the form <see cref="FromJson"/> reads.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("pages", Pages);
        if (Vcpus is { } v) w.WriteNumber("vcpus", v); else w.WriteNull("vcpus");
        w.WriteNumber("hostThreads", HostThreads);
        w.WriteString("program", NameOf(Program));
        w.WriteString("variant", Variant);
        w.WriteString("granularity", NameOf(Granularity));
        w.WriteNumber("iterations", Iterations);
        if (Scripts is not null)
        {
            w.WriteStartArray("scripts");
            foreach (var script in Scripts)
            {
                w.WriteStartArray();
                foreach (var line in script) w.WriteStringValue(line);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        if (AllowedHostActions is not null)
        {
            w.WriteStartArray("hostActions");
            foreach (var a in AllowedHostActions) w.WriteStringValue(a.Name());
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    static HostAction HostActionNamed(string name)
    {
        foreach (var a in Enum.GetValues<HostAction>())
            if (a.Name() == name) return a;
        throw new UsageException($"hostActions: unknown host action {InputText.Quote(name)} (host actions: {string.Join(", ", Enum.GetValues<HostAction>().Select(a => a.Name()))})");
    }

    /// <summary>The variant is printed in every summary line: it must show on one line as it is.</summary>
    static string Printable(string variant, string field) => InputText.Printable(variant) ? variant
        : throw new UsageException($"{field} must be a name or a path without control characters (got {InputText.Quote(variant)})");

    static T Pick<T>(IReadOnlyDictionary<string, T> names, string value, string field) =>
        names.TryGetValue(value, out var v) ? v
            : throw new UsageException($"{field} must be one of {string.Join(", ", names.Keys)} (got {InputText.Quote(value)})");

    /// <summary>The named standard configurations that verify.sh runs.</summary>
    public static readonly IReadOnlyDictionary<string, Configuration> Standard = new Dictionary<string, Configuration>
    {
        ["one-page"] = new() { Pages = 1, Iterations = 2 },
        ["two-pages"] = new() { Pages = 2 },
        ["three-pages"] = new() { Pages = 3, Vcpus = 2, HostThreads = 2 },
    };
}
