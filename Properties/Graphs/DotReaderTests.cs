using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Graphs;

public class DotReaderTests
{
    [Theory]
    [InlineData("graph1", 26)]
    [InlineData("graph2", 28)]
    public void ReadsEveryEdgeOfTheSeedMessages(string graph, int edges)
    {
        var dot = DotReader.Read(SeedFiles.Text(graph), graph);
        Assert.Equal("gph", dot.Name);
        Assert.Equal(edges, dot.Edges.Count);
        Assert.All(dot.Edges, e => Assert.NotNull(e.Label));
        Assert.StartsWith("digraph gph {", SeedFiles.Text(graph)[dot.Start..]);
        Assert.Equal('}', SeedFiles.Text(graph)[dot.End - 1]);
    }

    [Fact]
    public void SecondSeedKeepsEscapesStyleAndLines()
    {
        var dot = DotReader.Read(Variants.BundledText("graph2"), "graph2.dot");
        var dirty = Assert.Single(dot.Edges, e => e.Label == @"host discard\n(dirty)");
        Assert.Equal(("Pr", "Sp"), (dirty.From, dirty.To));
        Assert.Equal("dashed", dirty.Attributes["style"]);
        Assert.Equal(42, dirty.Line);
        Assert.Equal(3, dot.Edges[0].Line); // after the /* */ comment on line 2
        Assert.Equal(5, dot.Edges.Count(e => e.Attributes.ContainsKey("style")));
    }

    [Fact]
    public void FindsTheBlockAmidProseAndStopsAtItsEnd()
    {
        const string text = "We call it a digraph, see below.\n   J\nJ digraph \"g 1\" {\n  a -> b [label=\"x\"]\n}\n" +
                            "Attachment: gph.pdf \"unterminated [ -- /*\n";
        var dot = DotReader.Read(text, "mail.txt");
        Assert.Equal("g 1", dot.Name);
        Assert.Equal(3, dot.Line);
        Assert.Equal(text.IndexOf("digraph \"g", StringComparison.Ordinal), dot.Start);
        Assert.Equal(text.IndexOf("}\n", StringComparison.Ordinal) + 1, dot.End);
        var edge = Assert.Single(dot.Edges);
        Assert.Equal(("a", "b", 4, "x"), (edge.From, edge.To, edge.Line, edge.Label));
    }

    [Fact]
    public void ReadsCommentsNodesChainsDefaultsAndOptionalSemicolons()
    {
        const string text = """
            digraph {
              // Ur -> Uz [label="not an edge"]
              /* a comment
                 over two lines -> */ rankdir = LR
            # a preprocessor line
              edge [ style=dashed ]
              Ur; Sr [ shape=box ]
              Ur -> Sr -> Vr [ label = "a \"quoted\"\nlabel", color=red; weight=2 ] [ style=solid ]
              Vr -> Vz [label="host discard"]
            }
            """;
        var dot = DotReader.Read(text, "t.dot");
        Assert.Null(dot.Name);
        Assert.Equal(["Ur", "Sr"], dot.Nodes.Select(n => n.Name));
        Assert.Equal("box", dot.Nodes[1].Attributes["shape"]);
        Assert.Equal([("Ur", "Sr", 8), ("Sr", "Vr", 8), ("Vr", "Vz", 9)], dot.Edges.Select(e => (e.From, e.To, e.Line)));
        Assert.Equal("a \"quoted\"\\nlabel", dot.Edges[0].Label);
        Assert.Equal("solid", dot.Edges[1].Attributes["style"]);
        Assert.Equal("red", dot.Edges[1].Attributes["color"]);
        Assert.Equal("dashed", dot.Edges[2].Attributes["style"]);
    }

    [Theory]
    [InlineData("digraph g {\n Ur -> Sr [label=\"a\"]\n", 3, "expected '}' to close the digraph opened at line 1, found end of file")]
    [InlineData("digraph g {\n Ur -> Sr [label=\"a];\n}\n", 2, "unterminated string")]
    [InlineData("digraph g {\n/* x\n Ur -> Sr\n}\n", 2, "unterminated comment: expected '*/'")]
    [InlineData("digraph g {\n Ur -> Sr;\n Ur -> ;\n}", 3, "expected a node name after '->', found ';'")]
    [InlineData("digraph g {\n Ur ->\n [label=\"x\"]\n}", 3, "expected a node name after '->', found '['")]
    [InlineData("digraph g {\n Ur -> Sr [label \"x\"]\n}", 2, "expected '=' after attribute 'label', found \"x\"")]
    [InlineData("digraph g {\n Ur -> Sr [label=]\n}", 2, "expected a value for attribute 'label', found ']'")]
    [InlineData("digraph g {\n Ur -> Sr [label=\"x\"\n}", 3, "expected an attribute name or ']', found '}'")]
    [InlineData("digraph g {\n Ur -> Sr [label=\"x\",", 2, "expected ']' to close the attribute list opened at line 2")]
    [InlineData("digraph g {\n Ur -- Sr\n}", 2, "'--' is an undirected edge")]
    [InlineData("digraph g {\n Ur -> Sr : n\n}", 2, "unexpected character ':'")]
    [InlineData("digraph g {\n subgraph x { }\n}", 2, "subgraphs are not supported")]
    [InlineData("a digraph, I said\nno block here\n", 1, "expected '{' after 'digraph'")]
    [InlineData("digraph g {\n Ur -> Sr \u0001\n}", 2, "unexpected character U+0001")]
    [InlineData("digraph g {\n Ur -> Sr [\"a\nb\" \"x\"]\n}", 3, "expected '=' after attribute \"a\\nb\", found \"x\"")]
    [InlineData("digraph g {\n Ur -> Sr [label=\"x\" \"\r\"]\n}", 2, "expected '=' after attribute \"\\r\", found ']'")]
    [InlineData("digraph a {\n}\nprose about a digraph\ndigraph b {\n}\n", 4, "a second digraph (the first is at line 1): a file holds one graph, keep one of them")]
    [InlineData("just prose\nand more\n", 3, "no digraph in the file")]
    public void MalformedInputNamesFileLineAndWhatWasExpected(string text, int line, string expected)
    {
        var e = Assert.Throws<ModelInputException>(() => DotReader.Read(text, "bad.dot"));
        Assert.Equal(("bad.dot", line), (e.File, e.Line));
        Assert.StartsWith($"bad.dot:{line}: ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
