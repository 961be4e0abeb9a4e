using PageHintVerify.Checker.Exploration;
using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// <c>pagehint prove</c>: Z3 proves, per invariant, that every single-page operation of a variant keeps it (or shows a step
/// that breaks it), and checks that the variant's table is deterministic and total.
/// </summary>
public sealed class ProveCommand : ICommand
{
    public string Name => "prove";
    public string Summary => "prove the invariants with Z3 for one step of a variant";
    public string Help => """
        usage: pagehint prove [--variant reference|graph1|graph2|FILE] [--without-lemmas] [--json]
               pagehint prove --granularity cas|naive [--variant reference|graph1|graph2|FILE] [--json]

        Z3 proves, for each invariant of SPEC section 4, that no single-page operation of the variant breaks it: from any
        page state satisfying every state invariant and the induction lemmas, and any operation the guest discipline
        allows, the page after the step satisfies each state invariant and the step satisfies each transition invariant.
        Also reports whether the variant's table is deterministic and total: gaps (no edge, treated as no change) and
        nondeterministic pairs (several edges of one label from one state: every target is a step of the relation) are
        findings about the graph, not failed proofs. Prints the Z3 version
        loaded, then per invariant and lemma `proved` or `violated` with a witness step, then one verdict line.
        Exit code 0 when every obligation is proved (whatever the table's gaps), 1 when one is violated, 2 for a usage
        error or a Z3 that cannot be loaded.
        --without-lemmas assumes only I1–I5 before the step, which shows that they alone are not inductive.
        --granularity cas|naive proves instead, by reduction (README "Proofs for any size", docs/reduction.md), that every
        execution of that granularity with any number of pages, vCPUs and host threads is equivalent to one of atomic
        steps, so the invariants proved for one atomic step hold at every size: it proves the one-step obligations (with
        the lemmas), then R1–R5 about the algorithm's own decisions, each `proved` or `violated` with a Z3 witness (at
        naive, also the shortest run of the checker that reaches the interference), then one verdict line.
        --granularity atomic is the one-step proof above.
        --json writes one JSON document to stdout instead of the text (docs/json.md).
        Environment: PAGEHINT_LIBZ3 names another native libz3.
        """;

    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        var protocol = Model.Variants.Resolve(args.Text("--variant") ?? "reference");
        bool withoutLemmas = args.Flag("--without-lemmas");
        var lemmas = withoutLemmas ? [] : InductionLemmas.All;
        var granularity = args.Choice("--granularity", Configuration.GranularityNames) ?? Granularity.Atomic;
        bool json = args.Flag("--json");
        args.RejectUnknown();
        if (granularity != Granularity.Atomic)
        {
            if (withoutLemmas)
                throw new UsageException("--without-lemmas applies to the one-step proof, not to --granularity: the reduction rests on the invariants being inductive, which needs the lemmas");
            var subject = granularity == Granularity.Cas ? ReductionSubject.Cas() : ReductionSubject.Naive;
            return new ReductionReport(protocol, subject).Run(this, output, json);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = output;
        if (json) output = TextWriter.Null;
        using var session = new Z3Session();
        output.WriteLine($"Z3 {session.Version} from {session.Library}");
        output.WriteLine($"variant {protocol.Name}");
        string table = ReportTable(protocol, output);

        output.WriteLine("assumed before each step (guest discipline, SPEC section 3):");
        foreach (var d in GuestDiscipline.Preconditions) output.WriteLine($"  {d}");
        output.WriteLine("induction lemmas (assumed before the step, proved after it like the state invariants):");
        foreach (var l in lemmas) output.WriteLine($"  {l}");
        if (lemmas.Count == 0) output.WriteLine("  none (--without-lemmas)");
        output.WriteLine($"domain: every page state and every operation ({string.Join(", ", PageOp.All)})");

        var verdicts = InductionProof.Run(session, protocol, Invariants.All, lemmas);
        // One reachability model per run, built only if some witness needs judging.
        var reach = new Lazy<WitnessReachability>(() => new WitnessReachability(protocol));
        foreach (var v in verdicts) Report(reach, v, output);
        var violated = verdicts.Where(v => !v.Proved).Select(v => v.Invariant.Id).ToList();
        output.WriteLine(violated.Count == 0
            ? $"verdict: every obligation proved for one step of {protocol.Name}{table}"
            : $"verdict: not proved: {string.Join(", ", violated)} violated by one step of {protocol.Name}{table}");
        int exit = violated.Count == 0 ? CommandLine.Ok : CommandLine.ViolationFound;
        if (!json) return exit;
        return JsonReport.Write(report, this, violated.Count == 0 ? "proved" : "violated", exit, clock, w =>
        {
            w.WriteString("variant", protocol.Name);
            WriteZ3(w, session);
            w.WriteBoolean("lemmas", lemmas.Count > 0);
            w.WriteStartObject("table");
            w.WriteBoolean("deterministic", protocol.IsDeterministic);
            w.WriteNumber("gaps", protocol.Gaps().Count());
            w.WriteNumber("nondeterministicPairs", protocol.Nondeterministic.Count);
            w.WriteEndObject();
            w.WriteStartArray("obligations");
            foreach (var v in verdicts)
            {
                w.WriteStartObject();
                JsonReport.WriteInvariant(w, v.Invariant);
                w.WriteBoolean("proved", v.Proved);
                w.WriteBoolean("holdsInitially", v.HoldsInitially);
                w.WriteBoolean("dropped", v.Dropped);
                if (v.Witness is { } wit)
                {
                    w.WriteStartObject("witness");
                    w.WriteString("before", wit.Before.ToString());
                    w.WriteString("operation", wit.Op.ToString());
                    w.WriteString("result", wit.Result.Describe(wit.Op));
                    w.WriteString("after", wit.After.ToString());
                    w.WriteEndObject();
                }
                else w.WriteNull("witness");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>The Z3 loaded, as <c>"z3": {"version", "library"}</c>.</summary>
    internal static void WriteZ3(System.Text.Json.Utf8JsonWriter w, Z3Session session)
    {
        w.WriteStartObject("z3");
        w.WriteString("version", session.Version);
        w.WriteString("library", session.Library);
        w.WriteEndObject();
    }

    /// <summary>Prints the table's conflicts and gaps; returns what the verdict line says of them (empty when none).</summary>
    static string ReportTable(Protocol protocol, TextWriter output)
    {
        var gaps = protocol.Gaps().ToList();
        output.WriteLine(protocol.IsDeterministic ? "table: deterministic"
            : $"table: nondeterministic at {Format.Count(protocol.Nondeterministic.Count, "(state, operation) pair")}, every target proved as a step:");
        foreach (var c in protocol.Nondeterministic) output.WriteLine($"  {string.Join("  or  ", c.Edges)}");
        output.WriteLine(gaps.Count == 0 ? "table: total" : $"table: not total, {Format.Count(gaps.Count, "gap")} (treated as no change):");
        foreach (var (state, op) in gaps) output.WriteLine($"  {state} {op.Name()}");
        var findings = new[]
        {
            gaps.Count == 0 ? null : $"{Format.Count(gaps.Count, "gap")}, treated as no change",
            protocol.IsDeterministic ? null : $"{Format.Count(protocol.Nondeterministic.Count, "nondeterministic pair")}, every target a step",
        }.OfType<string>().ToList();
        return findings.Count == 0 ? "" : $" (its table has {string.Join(" and ", findings)})";
    }

    static void Report(Lazy<WitnessReachability> reachability, Verdict v, TextWriter output)
    {
        output.WriteLine($"{v.Invariant.Id} {v.Invariant.Name}: {(v.Proved ? "proved" : "violated")}"
            + (v.Dropped ? " (so no longer assumed: the invariants above were judged without it)" : ""));
        if (!v.HoldsInitially) output.WriteLine($"  the initial state {PageState.Initial} breaks it");
        if (v.Witness is not { } w) return;
        output.WriteLine($"  before  {w.Before}");
        output.WriteLine($"  step    {w.Op}: {w.Result.Describe(w.Op)}");
        output.WriteLine($"  after   {w.After}");
        if (v.Dropped) return;
        var reach = reachability.Value;
        if (reach.To(w.Before) is { } trace)
        {
            output.WriteLine($"  the checker reaches this before-state in {Format.Count(trace.Count, "step")} (one page, a disciplined guest, a host thread):");
            WriteTrace(output, reach.ActorName, trace);
            return;
        }
        output.WriteLine("  the checker cannot reach this before-state (one page, a disciplined guest, a host thread)");
        if (reach.NearestViolation(v.Invariant) is not { } nearest)
        {
            output.WriteLine($"  and no reachable page has a disciplined step that breaks {v.Invariant.Id}: an artifact of the one-step proof");
            return;
        }
        var (path, step) = nearest;
        output.WriteLine($"  a reachable witness, {Format.Count(path.Count, "step")} from the initial state:");
        WriteTrace(output, reach.ActorName, path);
        output.WriteLine($"    then  {step.Op}: {step.Result.Describe(step.Op)} → {step.After}  ◀ {v.Invariant.Id}");
    }

    /// <summary>A one-page trace from the initial state, one line per step: actor, operation and phase (none at atomic), page after.</summary>
    internal static void WriteTrace(TextWriter output, Func<int, string> actorName, IReadOnlyList<TraceStep> trace)
    {
        output.WriteLine($"    {"",3}  {"",5}  {"initial",-30}  {PageState.Initial}");
        for (int i = 0; i < trace.Count; i++)
        {
            var step = trace[i].Step;
            output.WriteLine($"    {i + 1,3}  {actorName(step.Actor),-5}  {StepText.Action(step),-30}  {trace[i].PagesAfter[0]}");
        }
    }
}
