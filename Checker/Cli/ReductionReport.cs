using System.Text.Json;
using PageHintVerify.Checker.Exploration;
using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// <c>pagehint prove --granularity cas|naive</c>: the one-step proof for atomic steps, then the reduction obligations
/// (<see cref="ReductionProof"/>) that lift it to any number of pages, vCPUs and host threads, then one verdict line.
/// </summary>
sealed class ReductionReport(Protocol protocol, ReductionSubject subject)
{
    /// <summary>What the lifted verdict rests on besides the obligations, in plain words.</summary>
    public static IReadOnlyList<string> Assumptions { get; } =
    [
        "every vCPU keeps the guest discipline D1–D5 (SPEC section 3) for its own operations",
        "the guest as a whole is disciplined when several vCPUs share a page (checked only by bounded exploration)",
        ReductionProof.VersionAssumption,
        "the word is swapped as one (Interlocked.CompareExchange on 64 bits) and the cells are read and written only as the pin allows; "
            + "memory ordering beyond that is the runtime's (not modelled)",
    ];

    public int Run(ICommand command, TextWriter output, bool json)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = output;
        if (json) output = TextWriter.Null;
        using var session = new Z3Session();
        output.WriteLine($"Z3 {session.Version} from {session.Library}");
        output.WriteLine($"variant {protocol.Name}, granularity {subject.Name}: reduction to atomic steps (Lipton's movers)");

        var oneStep = InductionProof.Run(session, protocol, Invariants.All, InductionLemmas.All);
        var notInductive = oneStep.Where(v => !v.Proved).Select(v => v.Invariant.Id).ToList();
        output.WriteLine(notInductive.Count == 0
            ? $"atomic steps: {string.Join(", ", oneStep.Select(v => v.Invariant.Id))} proved inductive under D1–D5 (pagehint prove --variant {protocol.Name} shows each)"
            : $"atomic steps: not inductive, {string.Join(", ", notInductive)} violated (pagehint prove --variant {protocol.Name} shows the witnesses)");
        output.WriteLine("assumed:");
        foreach (var a in Assumptions) output.WriteLine($"  {a}");
        output.WriteLine($"domain: every page word (each (g,h), change bit and pin), every operation ({PageOp.All.Length}), "
            + $"every decision of {subject.Algorithm.GetType().Name} on it, every content of the cells");

        var verdicts = ReductionProof.Run(session, protocol, subject);
        IReadOnlyList<TraceStep>? trace = null;
        var reach = new InterferenceReachability(protocol);
        foreach (var v in verdicts)
        {
            output.WriteLine($"{v.Obligation.Id} {v.Obligation.Name}: {(v.Proved ? v.ByConstruction ? "holds by construction" : "proved" : "violated")}");
            output.WriteLine($"  states: {v.Obligation.Statement}");
            if (v.Witness is not { } w) continue;
            WriteWitness(output, w);
            // A stale store is the interference R1 finds when the commit does not compare the word: show the checker reaching it.
            if (v.Obligation != ReductionProof.Refines || w.Loaded == w.Current) continue;
            bool exact = (trace = reach.StaleStore(w)) is not null;
            if (!exact && (trace = reach.StaleStore(null)) is null) continue;
            output.WriteLine($"  the checker reaches {(exact ? "this interference" : "an interference of this kind (a store over a word other than the one loaded)")} at "
                + $"{subject.Name} in {Format.Count(trace!.Count, "step")} ({reach.Setting}):");
            ProveCommand.WriteTrace(output, reach.ActorName, trace);
        }
        var violated = verdicts.Where(v => !v.Proved).Select(v => v.Obligation.Id).ToList();
        bool proved = violated.Count == 0 && notInductive.Count == 0;
        output.WriteLine(proved
            ? $"verdict: I1–I5 hold for any number of pages, vCPUs and host threads (every execution of {subject.Name} on {protocol.Name} is equivalent to one of atomic steps)"
            : $"verdict: not proved: {string.Join(", ", notInductive.Concat(violated))} violated at {subject.Name} on {protocol.Name}");
        int exit = proved ? CommandLine.Ok : CommandLine.ViolationFound;
        if (!json) return exit;
        return JsonReport.Write(report, command, proved ? "proved" : "violated", exit, clock, w =>
        {
            w.WriteString("variant", protocol.Name);
            w.WriteString("granularity", subject.Name);
            ProveCommand.WriteZ3(w, session);
            w.WriteStartArray("oneStep");
            foreach (var v in oneStep)
            {
                w.WriteStartObject();
                JsonReport.WriteInvariant(w, v.Invariant);
                w.WriteBoolean("proved", v.Proved);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            JsonReport.WriteStrings(w, "assumptions", Assumptions);
            w.WriteStartArray("obligations");
            foreach (var v in verdicts) WriteObligation(w, v);
            w.WriteEndArray();
            if (trace is null) w.WriteNull("trace");
            else
            {
                w.WriteStartArray("trace");
                foreach (var t in trace)
                {
                    w.WriteStartObject();
                    w.WriteString("actor", reach.ActorName(t.Step.Actor));
                    w.WriteString("step", StepText.Action(t.Step));
                    w.WriteString("pageAfter", t.PagesAfter[0].ToString());
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
        });
    }

    static void WriteWitness(TextWriter output, ReductionWitness w)
    {
        output.WriteLine($"  loaded   {w.Loaded}");
        if (w.Current != w.Loaded) output.WriteLine($"  current  {w.Current}  (the page's word when the actor commits)");
        if (w.Page is { } page) output.WriteLine($"  page     {page}");
        output.WriteLine($"  step     {w.Op}: {w.Decided}");
        output.WriteLine($"  atomic   {w.Atomic}");
    }

    static void WriteObligation(Utf8JsonWriter w, ReductionVerdict v)
    {
        w.WriteStartObject();
        w.WriteString("id", v.Obligation.Id);
        w.WriteString("name", v.Obligation.Name);
        w.WriteString("statement", v.Obligation.Statement);
        w.WriteBoolean("proved", v.Proved);
        w.WriteBoolean("byConstruction", v.ByConstruction);
        if (v.Witness is { } wit)
        {
            w.WriteStartObject("witness");
            w.WriteString("loaded", wit.Loaded.ToString());
            w.WriteString("current", wit.Current.ToString());
            w.WriteString("operation", wit.Op.ToString());
            w.WriteString("decided", wit.Decided);
            w.WriteString("atomic", wit.Atomic);
            if (wit.Page is { } page) w.WriteString("page", page.ToString());
            else w.WriteNull("page");
            w.WriteEndObject();
        }
        else w.WriteNull("witness");
        w.WriteEndObject();
    }
}
