using PageHintVerify.Checker.Exploration;
using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;

namespace PageHintVerify.Checker.Counterexamples;

/// <summary>
/// A race kept as data (SPEC section 7): the configuration that runs it, the invariant it violates, and every step from
/// the initial state with its result and the pages after it.
/// </summary>
/// <param name="FoundBy">The configuration the checker explored when it found the race, as one line; null if unknown.</param>
/// <param name="ShortestSteps">The breadth-first (shortest) trace's length before minimization; null if unknown.</param>
/// <param name="Graph">
/// The digraph block of a graph variant (a bundled graph or a user's file), carried so that the counterexample replays
/// wherever it is, whatever the working directory; null for the reference, and in files from before schema 2.
/// </param>
public sealed record Counterexample(Configuration Configuration, Invariant Invariant, IReadOnlyList<RecordedStep> Steps,
    string? FoundBy = null, int? ShortestSteps = null, string? Graph = null)
{
    /// <summary>Builds one from a trace the checker or the minimizer produced.</summary>
    public static Counterexample Of(Configuration configuration, Invariant invariant, IEnumerable<TraceStep> trace,
        string? foundBy = null, int? shortestSteps = null, string? graph = null) =>
        new(configuration, invariant, trace.Select(RecordedStep.Of).ToList(), foundBy, shortestSteps, graph);

    /// <summary>The name an embedded graph's messages give it, as in <c>graph:3: ...</c>.</summary>
    public const string GraphFile = "graph";

    /// <summary>The protocol it runs against: the embedded graph when there is one, else the variant by name.</summary>
    public Protocol Variant() =>
        Graph is null ? Variants.Resolve(Configuration.Variant) : GraphVariant.Parse(Configuration.Variant, Graph, GraphFile);

    /// <summary>The file name that says what it holds: variant, granularity, program (each unless default), invariant, a slug.</summary>
    public static string FileName(Configuration foundWith, Invariant invariant, IEnumerable<Step> steps)
    {
        var parts = new List<string>();
        if (foundWith.Variant != Variants.Reference) parts.Add(Path.GetFileNameWithoutExtension(foundWith.Variant));
        if (foundWith.Granularity != Granularity.Atomic) parts.Add(Configuration.NameOf(foundWith.Granularity));
        if (foundWith.Program != ProgramKind.PageCache) parts.Add(Configuration.NameOf(foundWith.Program));
        parts.Add(invariant.Id);
        parts.Add(Slugs[invariant.Id]);
        // The host action the race turns on: the last one in the trace.
        var host = steps.LastOrDefault(s => s.Op.Op == Operation.HostReclaim);
        if (host.Op.Op == Operation.HostReclaim) parts.Add(HostSlug(HostActions.For(host.Before.G)));
        return string.Join("-", parts) + ".json";
    }

    static readonly IReadOnlyDictionary<string, string> Slugs = new Dictionary<string, string>
    {
        ["I1"] = "data-loss", ["I2"] = "silent-read", ["I3"] = "ill-formed", ["I4"] = "unrecreatable", ["I5"] = "unused-access",
    };

    static string HostSlug(HostAction a) => a == HostAction.DiscardPotentiallyVolatile ? "discard-pv" : a.Name().Replace(' ', '-');
}
