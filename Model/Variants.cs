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
        return GraphVariant.Parse(nameOrPath, ReadFile(nameOrPath), nameOrPath);
    }

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
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message;
            throw new ModelInputException(path, null,
                $"cannot read it ({why}): expected {string.Join(", ", Names)} or a file holding a digraph");
        }
    }
}
