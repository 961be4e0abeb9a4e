namespace PageHintVerify.Model.Graphs;

/// <summary>
/// Turns a seed graph into a <see cref="Protocol"/> (SPEC section 5): each node is a <c>(g,h)</c> state, each edge
/// becomes one protocol edge per operation its label means (<see cref="Vocabulary"/>), with the label and
/// <c>file:line</c> kept for messages. Nodes must be the eight valid states of SPEC section 2: a graph that draws Up,
/// Vp, Pp or Pz is refused at that line (the seeds draw none; their "Vp/Pz never happening" is prose).
/// </summary>
public static class GraphVariant
{
    /// <summary>Reads the digraph in <paramref name="text"/> and builds the protocol it draws.</summary>
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
                $"edge {from} -> {to} has no label: expected [ label=\"...\" ] naming its operation");
            var meaning = Vocabulary.Lookup(label, file, e.Line);
            foreach (var op in meaning.Operations)
                edges.Add(new Edge(from, op, to, meaning.When, label, $"{file}:{e.Line}"));
        }
        return new Protocol(name, edges);
    }

    static GuestHostState State(string node, string file, int line)
    {
        if (!GuestHostState.TryParse(node, out var s))
            throw new ModelInputException(file, line,
                $"node {InputText.Word(node)} is not a page state: expected a (g,h) code such as {string.Join(", ", GuestHostState.Valid)}");
        if (!s.IsValid)
            throw new ModelInputException(file, line,
                $"{s} is not a valid page state (SPEC section 2: {WhyInvalid(s)}): expected one of {string.Join(", ", GuestHostState.Valid)}");
        return s;
    }

    /// <summary>SPEC section 2's reason each invalid pair cannot occur.</summary>
    static string WhyInvalid(GuestHostState s) => s.G switch
    {
        GuestState.Unused => "set_unused drops the swap copy",
        GuestState.PotentiallyVolatile when s.H == HostState.Zero => "the guest cannot create it, and a discarded P page becomes Vz",
        _ => "a volatile page is never preserved",
    };
}
