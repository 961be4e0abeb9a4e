using Xunit;

namespace PageHintVerify.Properties.Graphs;

public sealed class AnalyzeCommandTests() : CommandTests("pagehint-analyze-")
{
    [Fact]
    public void WithoutFilesAnalyzesTheReferenceAndBothSeedGraphs()
    {
        var (code, output, errors) = Run("analyze");
        Assert.Equal((1, ""), (code, errors)); // the seed graphs differ from the reference
        Assert.Equal(["== reference", "== graph1", "== graph2"], output.Split('\n').Where(l => l.StartsWith("== ")));
        var reference = output[..output.IndexOf("== graph1", StringComparison.Ordinal)];
        Assert.Contains("gaps, treated as no change: none", reference);
        Assert.Contains("differ from the reference: none", reference);
        Assert.Contains("Ur  set_volatile(w=1)  graph -> Vr     reference -> Pr  \"page_set_volatile\" graph1.dot:3", output);
        Assert.Contains("Vz  write  graph -> Vr  reference stays Vz  \"guest write\" graph2.dot:36", output);
    }

    [Fact]
    public void ExitCodeZeroWhenTheGraphEqualsTheReference()
    {
        Assert.Equal(0, Run("analyze", "reference").Code);
        Assert.Equal(1, Run("analyze", "reference", "graph1").Code);
    }

    [Fact]
    public void AnalyzesAFileHoldingADigraph()
    {
        var path = Write("mail.txt", "prose\nJ digraph x {\n Uz -> Sz [label=\"set stable\"]\n Sz -> Sr [label=\"guest access\"]\n}\n-- \nsig\n");
        var (code, output, errors) = Run("analyze", path);
        Assert.Equal((1, ""), (code, errors)); // two edges are not the reference table
        Assert.StartsWith($"== {path}\n  reachable from Uz    Uz Sr Sz\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void MissingFileIsOneLineNamingItAndExitCode2()
    {
        var path = Path.Combine(Dir, "absent.dot");
        var (code, output, errors) = Run("analyze", "graph1", path);
        Assert.Equal((2, ""), (code, output));
        Assert.Equal($"pagehint analyze: {path}: cannot read it (no such file): expected reference, graph1, graph2 or a file holding a digraph",
            errors.TrimEnd());
    }

    [Theory]
    [InlineData("digraph g {\n Ur -> Sr [label=\"set stable\"]\n Sr -> [label=\"x\"]\n}", "bad.dot:3: expected a node name after '->'")]
    [InlineData("digraph g {\n Ur -> Sr [label=\"set stable\"]\n Sr -> Sp [label=\"host nap\"]\n}", "bad.dot:3: unknown edge label \"host nap\"")]
    [InlineData("no graph here\n", "bad.dot:2: no digraph in the file")]
    public void MalformedFileIsOneLineNamingFileAndLineAndExitCode2(string text, string expected)
    {
        var path = Write("bad.dot", text);
        var (code, output, errors) = Run("analyze", path);
        Assert.Equal((2, ""), (code, output));
        Assert.StartsWith($"pagehint analyze: {Path.Combine(Dir, expected)}", errors);
        Assert.Single(errors.TrimEnd().Split('\n'));
    }
}
