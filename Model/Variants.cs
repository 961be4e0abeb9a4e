using PageHintVerify.Model.Graphs;

namespace PageHintVerify.Model;

/// <summary>
/// The protocol variants of SPEC section 5 by name: <c>reference</c> (SPEC section 3), <c>graph1</c> and <c>graph2</c>
/// (the seed graphs, bundled verbatim in this assembly), or else the path of a text file holding a digraph.
/// A name wins over a file of the same name.
/// </summary>
public static class Variants
{
    public const string Reference = "reference";

    /// <summary>The bundled seed graphs: <c>graph1</c> from the first seed message, <c>graph2</c> from the second.</summary>
    public static readonly IReadOnlyList<string> Bundled = ["graph1", "graph2"];

    /// <summary>Every name <see cref="Resolve"/> knows without a file.</summary>
    public static IEnumerable<string> Names => Bundled.Prepend(Reference);

    public static Protocol Resolve(string nameOrPath)
    {
        if (nameOrPath == Reference) return Protocol.Reference;
        if (Bundled.Contains(nameOrPath)) return GraphVariant.Parse(nameOrPath, BundledText(nameOrPath), BundledFile(nameOrPath));
        return GraphVariant.Parse(nameOrPath, ReadFile(nameOrPath), InputText.Name(nameOrPath));
    }

    /// <summary>
    /// The digraph block a graph variant is read from (a bundled graph's text, or the block of the file), for a
    /// counterexample to carry; null for the reference, which is no graph.
    /// </summary>
    public static string? GraphText(string nameOrPath)
    {
        if (nameOrPath == Reference) return null;
        if (Bundled.Contains(nameOrPath)) return BundledText(nameOrPath);
        var text = ReadFile(nameOrPath);
        var block = DotReader.Read(text, InputText.Name(nameOrPath));
        return text[block.Start..block.End];
    }

    /// <summary>
    /// A variant as written inside a file that lives in <paramref name="folder"/> (a configuration or counterexample):
    /// a name, an absolute path or an empty text as it is; a relative path taken from that folder, not from the
    /// working directory, so the file means the same wherever pagehint runs.
    /// </summary>
    public static string RelativeTo(string nameOrPath, string folder) =>
        nameOrPath.Length == 0 || Names.Contains(nameOrPath) || Path.IsPathRooted(nameOrPath) ? nameOrPath : Path.Combine(folder, nameOrPath);

    /// <summary>The file name a bundled graph's messages use, such as <c>graph1.dot</c>.</summary>
    public static string BundledFile(string name) => name + ".dot";

    /// <summary>The exact text of a bundled graph: the <c>digraph</c> block copied byte for byte from its seed message.</summary>
    public static string BundledText(string name)
    {
        using var stream = typeof(Variants).Assembly.GetManifestResourceStream($"PageHintVerify.Model.Seeds.{BundledFile(name)}")
            ?? throw new ArgumentException($"no bundled graph '{name}' (bundled: {string.Join(", ", Bundled)})", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    static string ReadFile(string path)
    {
        try { return InputText.Read(path); }
        catch (ModelInputException e)
        {
            throw new ModelInputException(e.File, null, $"{e.Problem}: expected {string.Join(", ", Names)} or a file holding a digraph");
        }
    }
}
