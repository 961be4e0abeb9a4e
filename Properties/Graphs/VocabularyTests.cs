using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Graphs;

public class VocabularyTests
{
    [Theory]
    [InlineData("graph1")]
    [InlineData("graph2")]
    public void EveryLabelOfTheSeedsMaps(string graph)
    {
        var dot = DotReader.Read(SeedFiles.Text(graph), graph);
        Assert.All(dot.Edges, e => Assert.True(Vocabulary.TryLookup(e.Label!, out _), $"label \"{e.Label}\" at line {e.Line}"));
    }

    [Theory]
    [InlineData("page_set_stable", "SetStable", DirtyCondition.Any)]
    [InlineData("set stable", "SetStable", DirtyCondition.Any)]
    [InlineData("set stable(_if_present)", "SetStable SetStableIfPresent", DirtyCondition.Any)]
    [InlineData("page_set_volatile", "SetVolatile SetVolatileWritable", DirtyCondition.Any)]
    [InlineData("set volatile", "SetVolatile SetVolatileWritable", DirtyCondition.Any)]
    [InlineData(@"set volatile\n(w=0)", "SetVolatile", DirtyCondition.Any)]
    [InlineData(@"set volatile\n(w=1)", "SetVolatileWritable", DirtyCondition.Any)]
    [InlineData("page_set_unused", "SetUnused", DirtyCondition.Any)]
    [InlineData("set unused", "SetUnused", DirtyCondition.Any)]
    [InlineData("guest discard", "SetUnused", DirtyCondition.Any)]
    [InlineData("guest access", "Read Write", DirtyCondition.Any)]
    [InlineData("guest write", "Write", DirtyCondition.Any)]
    [InlineData("host evict", "HostReclaim", DirtyCondition.Any)]
    [InlineData("host swap", "HostReclaim", DirtyCondition.Any)]
    [InlineData("host discard", "HostReclaim", DirtyCondition.Any)]
    [InlineData("host discard dirty", "HostReclaim", DirtyCondition.Dirty)]
    [InlineData(@"host discard\n(dirty)", "HostReclaim", DirtyCondition.Dirty)]
    [InlineData("host discard clean", "HostReclaim", DirtyCondition.Clean)]
    [InlineData(@"host discard\n(clean)", "HostReclaim", DirtyCondition.Clean)]
    public void LabelMeansItsOperations(string label, string operations, DirtyCondition when)
    {
        Assert.True(Vocabulary.TryLookup(label, out var meaning));
        Assert.Equal(operations, string.Join(" ", meaning.Operations));
        Assert.Equal(when, meaning.When);
    }

    [Theory]
    [InlineData(@"set volatile\n(w=1)", "set volatile (w=1)")]
    [InlineData("  Host \t Discard\n(Dirty) ", "host discard (dirty)")]
    [InlineData(@"host discard\n\n(clean)", "host discard (clean)")]
    [InlineData(@"a\b", @"a\b")]
    public void NormalizeTreatsEscapesAndWhitespaceRunsAsOneSpace(string label, string normalized) =>
        Assert.Equal(normalized, Vocabulary.Normalize(label));

    [Fact]
    public void UnknownLabelIsAnErrorThatNamesItAndItsLine()
    {
        const string text = "digraph g {\n  Ur -> Sr [label=\"set stable\"]\n  Sr -> Sp [label=\"host\\nexplode\"]\n}";
        var e = Assert.Throws<ModelInputException>(() => GraphVariant.Parse("t", text, "t.dot"));
        Assert.StartsWith("t.dot:3: unknown edge label \"host\\nexplode\"", e.Message);
    }

    [Fact]
    public void NodeThatIsNoPageStateIsAnErrorThatNamesIt()
    {
        var e = Assert.Throws<ModelInputException>(() => GraphVariant.Parse("t", "digraph {\n Ur -> Xy [label=\"set stable\"] }", "t.dot"));
        Assert.StartsWith("t.dot:2: node 'Xy' is not a page state", e.Message);
    }

    [Fact]
    public void EdgeWithoutLabelIsAnError()
    {
        var e = Assert.Throws<ModelInputException>(() => GraphVariant.Parse("t", "digraph {\n\n Ur -> Sr [style=dashed] }", "t.dot"));
        Assert.StartsWith("t.dot:3: edge Ur -> Sr has no label", e.Message);
    }

    [Fact]
    public void EachLabelBecomesOneEdgePerOperationWithItsLabelAndSource()
    {
        var p = GraphVariant.Parse("t", "digraph {\n Vr -> Sr [label=\"set stable(_if_present)\"]\n Pr -> Sp [label=\"host discard\\n(dirty)\"] }", "t.dot");
        Assert.Equal(
            [
                new Edge("Vr", Operation.SetStable, "Sr", DirtyCondition.Any, "set stable(_if_present)", "t.dot:2"),
                new Edge("Vr", Operation.SetStableIfPresent, "Sr", DirtyCondition.Any, "set stable(_if_present)", "t.dot:2"),
                new Edge("Pr", Operation.HostReclaim, "Sp", DirtyCondition.Dirty, @"host discard\n(dirty)", "t.dot:3"),
            ], p.Edges);
        Assert.Equal(["Sp"], p.Targets("Pr", Operation.HostReclaim, dirty: true));
        Assert.Empty(p.Targets("Pr", Operation.HostReclaim, dirty: false));
    }
}
