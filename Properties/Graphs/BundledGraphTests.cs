using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Graphs;

public class BundledGraphTests
{
    /// <summary>
    /// The bundled graphs are the seeds' digraph blocks byte for byte. Without the seeds folder (a copy of the repository
    /// alone) there is nothing to compare with, so the test checks what it still can: the bundled text is one whole block.
    /// </summary>
    [Theory]
    [InlineData("graph1")]
    [InlineData("graph2")]
    public void BundledGraphIsTheSeedBlockVerbatim(string graph)
    {
        var bundled = Variants.BundledText(graph);
        var message = SeedFiles.Message(graph);
        if (message is null)
        {
            var dot = DotReader.Read(bundled, graph);
            Assert.Equal((0, bundled.Length), (dot.Start, dot.End));
            return;
        }
        var block = DotReader.Read(message, graph);
        Assert.Equal(message[block.Start..block.End], bundled);
    }

    [Theory]
    [InlineData("graph1", 34)]
    [InlineData("graph2", 34)]
    public void BundledGraphLoadsAsAVariant(string graph, int edges)
    {
        var protocol = Variants.Resolve(graph);
        Assert.Equal(graph, protocol.Name);
        Assert.Equal(edges, protocol.Edges.Count);
        Assert.All(protocol.Edges, e => Assert.StartsWith($"{graph}.dot:", e.Source));
    }

    [Fact]
    public void ReferenceResolvesToTheReferenceTable() => Assert.Same(Protocol.Reference, Variants.Resolve("reference"));

    [Fact]
    public void MissingFileIsAnErrorNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pagehint-{Guid.NewGuid():N}.dot");
        var e = Assert.Throws<ModelInputException>(() => Variants.Resolve(path));
        Assert.StartsWith($"{path}: cannot read it (no such file)", e.Message);
    }
}
