namespace PageHintVerify.Model.Graphs;

/// <summary>
/// Turns a seed graph into a <see cref="Protocol"/> (SPEC section 5): each node is a <c>(g,h)</c> state, each edge
/// becomes one protocol edge per operation its label means (<see cref="Vocabulary"/>), with the label and
/// <c>file:line</c> kept for messages. Node names may be any of the twelve <c>(g,h)</c> codes: a graph that draws an
/// invalid one such as <c>Pz</c> loads, and invariant I3 judges it.
/// </summary>
public static class GraphVariant
{
    /// <summary>Reads the first digraph in <paramref name="text"/> and builds the protocol it draws.</summary>
    public static Protocol Parse(string name, string text, string file) => FromGraph(name, DotReader.Read(text, file), file);

    public static Protocol FromGraph(string name, DotGraph graph, string file)
    {
        foreach (var node in graph.Nodes) State(node.Name, file, node.Line);
        var edges = new List<Edge>();
        foreach (var e in graph.Edges)
        {
            var from = State(e.From, file, e.Line);
            var to = State(e.To, file, e.Line);
            var label = e.Label ?? throw new ModelInputException(file, e.Line,
                $"edge {e.From} -> {e.To} has no label: expected [ label=\"...\" ] naming its operation");
            var meaning = Vocabulary.Lookup(label, file, e.Line);
            foreach (var op in meaning.Operations)
                edges.Add(new Edge(from, op, to, meaning.When, label, $"{file}:{e.Line}"));
        }
        return new Protocol(name, edges);
    }

    static GuestHostState State(string node, string file, int line) =>
        GuestHostState.TryParse(node, out var s) ? s
            : throw new ModelInputException(file, line,
                $"node '{node}' is not a page state: expected a (g,h) code such as {string.Join(", ", GuestHostState.Valid)}");
}
