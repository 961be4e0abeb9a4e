using System.Globalization;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// Writes a configuration as a Promela model for SPIN, with our state variables (one int per page word, page bits and
/// pin, and one per actor's local state) and our atomic steps: every step of every reachable state is one d_step
/// option of a single process, guarded by the actor's local state and the page word, so SPIN's "states, stored" equals
/// our state count (when no state invariant fails: the monitor that asserts them moves only then). The steps come from
/// the step table after a complete search; the state invariants are translated from their formulas; a step that
/// violates a transition invariant asserts false, with the invariant's name, inside its d_step.
/// </summary>
public static class PromelaModel
{
    public static void Write(TextWriter w, Interleavings system)
    {
        var initial = system.Initial;
        int pages = system.PageCount, actors = system.ActorCount;
        w.WriteLine($"/* pagehint export: {system.Configuration} */");
        w.WriteLine("/* page word: g:2 h:2 dirty:1 mem:2x2 disk:2x2 want:2x2 (3 = bottom), pin at bit 17 */");
        for (int p = 0; p < pages; p++) w.WriteLine($"int page{p} = {system.PageBlock(p).Get(initial)};");
        for (int a = 0; a < actors; a++) w.WriteLine($"int {system.ActorName(a)} = {system.ActorBlock(a).Get(initial)};");
        w.WriteLine();
        // The state invariants in a monitor: it stays put (adding no states) until some invariant fails in some state.
        var holds = Invariants.All.Where(i => i.Kind == InvariantKind.State)
            .SelectMany(inv => Enumerable.Range(0, pages).Select(p => $"    {Expression(inv.Holds, $"page{p}")} /* {inv.Id} page {p} */"));
        w.WriteLine("active proctype monitor()");
        w.WriteLine("{");
        w.WriteLine("  atomic { !(");
        w.WriteLine(string.Join(" &&\n", holds));
        w.WriteLine("  ) -> assert(false) }");
        w.WriteLine("}");
        w.WriteLine();
        w.WriteLine("active proctype system()");
        w.WriteLine("{");
        w.WriteLine("  do");
        // SPIN's parser cannot take tens of thousands of options in one do; they are grouped into ifs of at most 500,
        // which SPIN enters and leaves without a state of their own (an if's option is taken with its first statement).
        var options = new List<string>();
        foreach (var (key, group) in system.MemoizedStepGroups)
        {
            var (actor, local, page, word) = StepTable.Decode(key);
            string actorVar = system.ActorName(actor);
            foreach (var e in group.Effects)
            {
                var after = new PackedState(e.OrA, e.OrB);
                int local2 = system.ActorBlock(actor).Get(after), word2 = system.PageBlock(page).Get(after);
                if (local2 == local && word2 == word && (e.Violations & TransitionBits) == 0) continue;
                var body = new List<string> { $"{actorVar} == {local} && page{page} == {word} -> skip;" };
                foreach (var inv in Invariants.All.Where(i => i.Kind == InvariantKind.Transition && (e.Violations & i.Bit()) != 0))
                    body.Add($"assert(false) /* {inv.Id} */;");
                if (local2 != local) body.Add($"{actorVar} = {local2};");
                if (word2 != word) body.Add($"page{page} = {word2};");
                body[^1] = body[^1].TrimEnd(';');
                options.Add($"d_step {{ {string.Join(" ", body)} }}");
            }
        }
        foreach (var chunk in options.Chunk(OptionsPerGroup))
        {
            w.WriteLine("  :: if");
            foreach (var option in chunk) w.WriteLine($"     :: {option}");
            w.WriteLine("     fi");
        }
        w.WriteLine("  od");
        w.WriteLine("}");
    }

    const int OptionsPerGroup = 500;

    static readonly int TransitionBits = Invariants.All.Where(i => i.Kind == InvariantKind.Transition).Aggregate(0, (m, i) => m | i.Bit());

    /// <summary>A state formula over one page word as a Promela expression.</summary>
    static string Expression(Formula f, string word) => f switch
    {
        EqualsFormula e => $"({Term(e.Left, word)} == {Term(e.Right, word)})",
        NotFormula n => $"!{Expression(n.Inner, word)}",
        AndFormula a => "(" + string.Join(" && ", a.Parts.Select(p => Expression(p, word))) + ")",
        OrFormula o => "(" + string.Join(" || ", o.Parts.Select(p => Expression(p, word))) + ")",
        ImpliesFormula i => $"(!{Expression(i.If, word)} || {Expression(i.Then, word)})",
        _ => throw new NotSupportedException($"formula {f}"),
    };

    static string Term(Term t, string word) => t switch
    {
        ConstTerm c => c.Value.ToString(CultureInfo.InvariantCulture),
        FieldTerm f when f.At == Moment.Post && StepFacts.Location(f) is var (offset, width) && offset + width <= PageState.BitWidth =>
            $"(({word} >> {offset}) & {(1 << width) - 1})",
        IfTerm i => $"({Expression(i.Condition, word)} -> {Term(i.Then, word)} : {Term(i.Otherwise, word)})",
        _ => throw new NotSupportedException($"term {t} is not a field of the page after"),
    };
}
