using PageHintVerify.Model;

namespace PageHintVerify.Properties.Graphs;

/// <summary>Where the seed messages are: <c>../shared/seeds</c> next to the repository, when that folder is there.</summary>
static class SeedFiles
{
    /// <summary>The seed message each bundled graph was copied from, by the file-name prefix the seeds README gives.</summary>
    public static readonly IReadOnlyDictionary<string, string> MessagePrefix =
        new Dictionary<string, string> { ["graph1"] = "000_", ["graph2"] = "001_" };

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PageHintVerify.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no PageHintVerify.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The seed message a bundled graph comes from, or null when the seeds folder is absent.</summary>
    public static string? Message(string graph)
    {
        var folder = Path.Combine(RepositoryRoot(), "..", "shared", "seeds");
        if (!Directory.Exists(folder)) return null;
        var matches = Directory.GetFiles(folder, MessagePrefix[graph] + "*.txt");
        Xunit.Assert.Single(matches);
        return File.ReadAllText(matches[0]);
    }

    /// <summary>The bundled graph's text, or the seed message's when the seeds folder is there.</summary>
    public static string Text(string graph) => Message(graph) ?? Variants.BundledText(graph);
}
