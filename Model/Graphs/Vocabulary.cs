using System.Text;

namespace PageHintVerify.Model.Graphs;

/// <summary>
/// The one table that maps a seed graph's edge labels to the operations of SPEC section 3. A label is looked up after
/// <see cref="Normalize"/>: a <c>\n</c> (or <c>\l</c>, <c>\r</c>) escape and every run of whitespace count as one space,
/// the ends are trimmed and case is ignored, so <c>"host discard\n(dirty)"</c> is <c>host discard (dirty)</c>.
/// <para>Decisions where a label is less precise than SPEC section 3:</para>
/// <list type="bullet">
/// <item><c>set stable(_if_present)</c> is both <c>set_stable</c> and <c>set_stable_if_present</c>;
///   <c>set stable</c> and <c>page_set_stable</c> are <c>set_stable</c> only (graph 1 predates <c>_if_present</c>).</item>
/// <item><c>set volatile</c> and <c>page_set_volatile</c> without a <c>w</c> are both <c>set_volatile(w=0)</c> and
///   <c>set_volatile(w=1)</c>; <c>(w=0)</c> and <c>(w=1)</c> name one of them.</item>
/// <item><c>guest discard</c> is <c>set_unused</c>: seed 1 says "Sp -> Uz: ... if the guest sets the block usage state to unused".</item>
/// <item><c>guest access</c> is both read and write; <c>guest write</c> is write only.</item>
/// <item>Every host label is <see cref="Operation.HostReclaim"/>: the host action is named by the from-state (evict, swap
///   out, discard), so <c>host evict</c>, <c>host swap</c> and <c>host discard</c> differ only in where they are drawn.
///   <c>dirty</c> and <c>clean</c> restrict the edge to that value of the change bit; otherwise it applies to both.</item>
/// </list>
/// </summary>
public static class Vocabulary
{
    /// <summary>What one label means: the operations its edge stands for and the change bit it applies to.</summary>
    public readonly record struct Meaning(IReadOnlyList<Operation> Operations, DirtyCondition When);

    static readonly Operation[] Unused = [Operation.SetUnused];
    static readonly Operation[] Stable = [Operation.SetStable];
    static readonly Operation[] StableEitherWay = [Operation.SetStable, Operation.SetStableIfPresent];
    static readonly Operation[] VolatileEitherWay = [Operation.SetVolatile, Operation.SetVolatileWritable];
    static readonly Operation[] Host = [Operation.HostReclaim];

    // normalized label            operations                               change bit
    static readonly (string Label, Operation[] Operations, DirtyCondition When)[] Table =
    [
        ("page_set_unused",            Unused,                                  DirtyCondition.Any),
        ("set unused",                 Unused,                                  DirtyCondition.Any),
        ("guest discard",              Unused,                                  DirtyCondition.Any),
        ("page_set_stable",            Stable,                                  DirtyCondition.Any),
        ("set stable",                 Stable,                                  DirtyCondition.Any),
        ("set stable(_if_present)",    StableEitherWay,                         DirtyCondition.Any),
        ("page_set_volatile",          VolatileEitherWay,                       DirtyCondition.Any),
        ("set volatile",               VolatileEitherWay,                       DirtyCondition.Any),
        ("set volatile (w=0)",         [Operation.SetVolatile],                 DirtyCondition.Any),
        ("set volatile (w=1)",         [Operation.SetVolatileWritable],         DirtyCondition.Any),
        ("guest access",               [Operation.Read, Operation.Write],       DirtyCondition.Any),
        ("guest write",                [Operation.Write],                       DirtyCondition.Any),
        ("host evict",                 Host,                                    DirtyCondition.Any),
        ("host swap",                  Host,                                    DirtyCondition.Any),
        ("host discard",               Host,                                    DirtyCondition.Any),
        ("host discard dirty",         Host,                                    DirtyCondition.Dirty),
        ("host discard (dirty)",       Host,                                    DirtyCondition.Dirty),
        ("host discard clean",         Host,                                    DirtyCondition.Clean),
        ("host discard (clean)",       Host,                                    DirtyCondition.Clean),
    ];

    static readonly Dictionary<string, Meaning> ByLabel =
        Table.ToDictionary(r => r.Label, r => new Meaning(r.Operations, r.When), StringComparer.Ordinal);

    /// <summary>Every label the table knows, normalized, in table order.</summary>
    public static IEnumerable<string> Labels => Table.Select(r => r.Label);

    /// <summary>The label as the table spells it: escapes and whitespace runs as one space, trimmed, lower case.</summary>
    public static string Normalize(string label)
    {
        var text = new StringBuilder(label.Length);
        bool space = false;
        for (int i = 0; i < label.Length; i++)
        {
            char c = label[i];
            bool escape = c == '\\' && i + 1 < label.Length && label[i + 1] is 'n' or 'l' or 'r';
            if (escape || char.IsWhiteSpace(c))
            {
                if (escape) i++;
                space = true;
                continue;
            }
            if (space && text.Length > 0) text.Append(' ');
            space = false;
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    public static bool TryLookup(string label, out Meaning meaning) => ByLabel.TryGetValue(Normalize(label), out meaning);

    /// <summary>The meaning of a label; an unknown one throws, naming the label and where it is.</summary>
    public static Meaning Lookup(string label, string file, int line) =>
        TryLookup(label, out var meaning) ? meaning
            : throw new ModelInputException(file, line,
                $"unknown edge label {InputText.Quote(label)} (known: {string.Join(", ", Labels)})");
}
