using System.Globalization;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>
/// Writes a configuration as a Promela model for SPIN. The state variables are ours: one int per page word (page bits
/// and pin) and one per actor's local state. Each actor is a process whose every step is one atomic option of a do,
/// and the steps are ours too: after an exhaustive search the step table holds every step of every reachable
/// (actor, local state, page, page word), and the model carries it as a C table (SPIN's <c>c_decl</c>) looked up by
/// hash, so SPIN's cost per step is a table look-up plus its own state storage, as ours is. SPIN's "states, stored"
/// equals our state count when no invariant fails. The state invariants are translated from their formulas into a
/// monitor process's assertion; a step that breaks a transition invariant sets <c>violated</c>, which is asserted 0.
/// The cross-check is thus of the search (exploration, state matching, invariants on states), not of the page rules.
/// </summary>
public static class PromelaModel
{
    public static void Write(TextWriter w, Interleavings system)
    {
        var initial = system.Initial;
        int pages = system.PageCount, actors = system.ActorCount;
        var groups = system.MemoizedStepGroups;
        int maxEffects = groups.Count == 0 ? 0 : groups.Max(g => g.Steps.Effects.Length);

        w.WriteLine($"/* pagehint export: {system.Configuration} */");
        w.WriteLine("/* page word: g:2 h:2 dirty:1 mem:2x2 disk:2x2 want:2x2 (3 = bottom), pin at bit 17 */");
        w.WriteLine($"/* {groups.Count} step groups (actor, local state, page, page word), {groups.Sum(g => g.Steps.Effects.Length)} steps */");
        WriteStepTable(w, system, groups, maxEffects);
        w.WriteLine();
        for (int p = 0; p < pages; p++) w.WriteLine($"int page{p} = {system.PageBlock(p).Get(initial)};");
        for (int a = 0; a < actors; a++) w.WriteLine($"int {system.ActorName(a)} = {system.ActorBlock(a).Get(initial)};");
        w.WriteLine("hidden byte violated; /* transition invariants broken by the last step, as bits of Invariants.All */");
        w.WriteLine();

        // The state invariants, asserted of the page a step leaves behind (the other pages did not change).
        w.WriteLine("#define STATE_INVARIANTS_HOLD(word) ( \\");
        w.WriteLine(string.Join(" && \\\n", Invariants.All.Where(i => i.Kind == InvariantKind.State)
            .Select(inv => $"    {Expression(inv.Holds, "word")} /* {inv.Id} */")) + " )");

        // One process per actor: option (page, k) takes the k-th step of the actor's step group on that page, if any.
        for (int a = 0; a < actors; a++)
        {
            string actor = system.ActorName(a);
            w.WriteLine();
            w.WriteLine($"active proctype {actor}_steps()");
            w.WriteLine("{");
            w.WriteLine("  do");
            for (int p = 0; p < pages; p++)
                for (int k = 0; k < maxEffects; k++)
                {
                    string effect = $"ph_effect({a}, now.{actor}, {p}, now.page{p}, {k})";
                    // The guard is a macro: SPIN takes a function call in a c_expr for a side effect and rejects it.
                    w.WriteLine($"  :: d_step {{ c_expr {{ PH_ENABLED_{a}_{p}_{k} }} -> c_code {{ int e = {effect}; now.{actor} = PH_AT(ph_local, e); now.page{p} = PH_AT(ph_word, e); violated = PH_AT(ph_violates, e); }}; assert(violated == 0 && STATE_INVARIANTS_HOLD(page{p})) }}");
                }
            if (maxEffects == 0) w.WriteLine("  :: false");
            w.WriteLine("  od");
            w.WriteLine("}");
        }
    }

    /// <summary>
    /// The step table in C: an open-addressing hash of keys (as <see cref="StepTable.Key"/>) to groups, each group a run
    /// of steps (new local state, new page word, transition invariants broken); the last look-up is cached because SPIN
    /// asks for every option of an actor on the same state in a row.
    /// </summary>
    static void WriteStepTable(TextWriter w, Interleavings system, IReadOnlyList<(ulong Key, StepGroup Steps)> groups, int maxEffects)
    {
        int slots = 16;
        while (slots < groups.Count * 2) slots *= 2;
        var slotKey = new ulong[slots];
        var slotGroup = new int[slots];
        for (int g = 0; g < groups.Count; g++)
        {
            int i = StepTable.Slot(groups[g].Key, slots - 1);
            while (slotKey[i] != 0) i = (i + 1) & (slots - 1);
            (slotKey[i], slotGroup[i]) = (groups[g].Key + 1, g);
        }
        var first = new List<int> { 0 };
        var local = new List<int>();
        var word = new List<int>();
        var violates = new List<int>();
        foreach (var (key, group) in groups)
        {
            var (actor, _, page, _) = StepTable.Decode(key);
            foreach (var e in group.Effects)
            {
                var after = new PackedState(e.OrA, e.OrB);
                local.Add(system.ActorBlock(actor).Get(after));
                word.Add(system.PageBlock(page).Get(after));
                violates.Add(e.Violations & TransitionBits);
            }
            first.Add(local.Count);
        }

        // SPIN takes at most 64 KiB of text in one c_decl: each array is written in chunks, each in its own c_decl.
        CArray(w, "unsigned long long", "ph_slot_key", slotKey.Select(k => k == 0 ? "0" : $"{k}ULL"));
        CArray(w, "int", "ph_slot_group", slotGroup.Select(Text));
        CArray(w, "int", "ph_first", first.Select(Text));
        CArray(w, "int", "ph_local", local.Select(Text));
        CArray(w, "int", "ph_word", word.Select(Text));
        CArray(w, "unsigned char", "ph_violates", violates.Select(Text));
        w.WriteLine("c_decl {");
        w.WriteLine("extern void (*uerror)(char *); /* pan reports an error through it */");
        w.WriteLine($"#define PH_SLOTS {slots}");
        // The key and its hash as StepTable has them, so the C look-up finds the slots filled here.
        w.WriteLine($"#define PH_PAGE_SHIFT {StepTable.PageShift}");
        w.WriteLine($"#define PH_WORD_SHIFT {StepTable.WordShift}");
        w.WriteLine($"#define PH_LOCAL_SHIFT {StepTable.LocalShift}");
        w.WriteLine($"#define PH_HASH_MULTIPLIER {StepTable.HashMultiplier}ULL");
        w.WriteLine($"#define PH_HASH_SHIFT {StepTable.HashShift}");
        w.WriteLine($"#define PH_AT(array, i) (array[(i) >> {ChunkBits}][(i) & {(1 << ChunkBits) - 1}])");
        w.WriteLine("""
            static unsigned long long ph_cached_key = 0; /* key + 1 */
            static int ph_cached_group;

            /* The step group of (actor, local state, page, page word); a state outside the table is an export error. */
            static int ph_group(int actor, int local, int page, int word)
            {
                unsigned long long key = ((unsigned long long)(unsigned)local << PH_LOCAL_SHIFT) | ((unsigned long long)(unsigned)word << PH_WORD_SHIFT)
                                       | ((unsigned long long)(unsigned)page << PH_PAGE_SHIFT) | (unsigned)actor;
                if (key + 1 == ph_cached_key) return ph_cached_group;
                unsigned i = (unsigned)(((key * PH_HASH_MULTIPLIER) >> PH_HASH_SHIFT) & (PH_SLOTS - 1));
                while (PH_AT(ph_slot_key, i) != key + 1)
                {
                    if (PH_AT(ph_slot_key, i) == 0) { uerror("pagehint export: a state outside the exported step table"); return -1; }
                    i = (i + 1) & (PH_SLOTS - 1);
                }
                ph_cached_key = key + 1;
                return ph_cached_group = PH_AT(ph_slot_group, i);
            }

            /* The k-th step of that group, or -1. */
            static int ph_effect(int actor, int local, int page, int word, int k)
            {
                int g = ph_group(actor, local, page, word);
                if (g < 0 || PH_AT(ph_first, g) + k >= PH_AT(ph_first, g + 1)) return -1;
                return PH_AT(ph_first, g) + k;
            }
            """);
        for (int a = 0; a < system.ActorCount; a++)
            for (int p = 0; p < system.PageCount; p++)
                for (int k = 0; k < maxEffects; k++)
                    w.WriteLine($"#define PH_ENABLED_{a}_{p}_{k} (ph_effect({a}, now.{system.ActorName(a)}, {p}, now.page{p}, {k}) >= 0)");
        w.WriteLine("}");
    }

    static string Text(int v) => v.ToString(CultureInfo.InvariantCulture);

    const int ChunkBits = 10;

    /// <summary>A constant C array as chunks of 2^<see cref="ChunkBits"/> values, read with <c>PH_AT(name, i)</c> (SPIN takes at most 64 KiB in one c_decl).</summary>
    static void CArray(TextWriter w, string type, string name, IEnumerable<string> values)
    {
        var chunks = values.Chunk(1 << ChunkBits).ToList();
        for (int c = 0; c < chunks.Count; c++)
        {
            // One line per chunk: pan keeps source line numbers in shorts, so the table must not push the processes far down.
            w.WriteLine($"c_decl {{ static const {type} {name}_{c}[] = {{ {string.Join(",", chunks[c])} }}; }}");
        }
        w.WriteLine($"c_decl {{ static const {type} *const {name}[] = {{ {string.Join(", ", Enumerable.Range(0, chunks.Count).Select(c => $"{name}_{c}"))}{(chunks.Count == 0 ? "0" : "")} }}; }}");
    }

    static readonly int TransitionBits = Invariants.All.Where(i => i.Kind == InvariantKind.Transition).Aggregate(0, (m, i) => m | i.Bit());

    /// <summary>A state formula over one page word as a Promela expression.</summary>
    static string Expression(Formula f, string word) => f.Fold(new PromelaExpression(word));

    sealed class PromelaExpression(string word) : IFormulaFold<string, string>
    {
        public string Field(FieldTerm f) =>
            f.At == Moment.Post && StepFacts.Location(f) is var (offset, width) && offset + width <= PageState.BitWidth
                ? $"(({word} >> {offset}) & {(1 << width) - 1})"
                : throw new NotSupportedException($"term {f} is not a field of the page after");
        public string Const(int value) => value.ToString(CultureInfo.InvariantCulture);
        public string If(string condition, string then, string otherwise) => $"({condition} -> {then} : {otherwise})";
        public string Equal(string left, string right) => $"({left} == {right})";
        public string Not(string inner) => $"!{inner}";
        public string And(string[] parts) => "(" + string.Join(" && ", parts) + ")";
        public string Or(string[] parts) => "(" + string.Join(" || ", parts) + ")";
        public string Implies(string condition, string consequence) => $"(!{condition} || {consequence})";
    }
}
