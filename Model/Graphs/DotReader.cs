namespace PageHintVerify.Model.Graphs;

/// <summary>A node statement of a digraph: <c>Ur;</c> or <c>Ur [ shape=box ]</c>.</summary>
public sealed record DotNode(string Name, int Line, IReadOnlyDictionary<string, string> Attributes);

/// <summary>One edge of a digraph (an edge chain <c>a -> b -> c</c> gives one per arrow), with its attributes.</summary>
/// <param name="Line">The line of the edge's source node, for messages.</param>
public sealed record DotEdge(string From, string To, int Line, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The <c>label</c> attribute as written between the quotes: a <c>\n</c> escape is still two characters.</summary>
    public string? Label => Attributes.GetValueOrDefault("label");
}

/// <summary>A <c>digraph</c> block found in a text, with where it starts and ends in that text.</summary>
/// <param name="Start">Offset of the <c>d</c> of <c>digraph</c>.</param>
/// <param name="End">Offset just past the closing <c>}</c>.</param>
/// <param name="Line">The line <c>digraph</c> is on.</param>
public sealed record DotGraph(string? Name, IReadOnlyList<DotNode> Nodes, IReadOnlyList<DotEdge> Edges, int Start, int End, int Line);

/// <summary>
/// Reads the Graphviz <c>digraph</c> block out of arbitrary text, such as a mailing-list message with prose and
/// attachment lines around the graph. Covers the DOT the seeds use: node and edge statements (edge chains too),
/// attribute lists (<c>[ label="host discard\n(dirty)", style=dashed ]</c>), <c>graph</c>/<c>node</c>/<c>edge</c>
/// default statements, <c>ID = ID</c> graph attributes, optional <c>;</c>, quoted strings, <c>/* */</c>, <c>//</c>
/// and <c>#</c> comments. Not covered: subgraphs, ports, HTML strings, <c>+</c> string concatenation.
/// Text after the block is not tokenized, only searched for a second block, which is refused. Malformed input throws
/// <see cref="ModelInputException"/> with the line and what was expected.
/// </summary>
public sealed class DotReader
{
    readonly DotLexer _lexer;
    readonly string _file;

    DotReader(string text, string file, int start)
    {
        _file = file;
        _lexer = new DotLexer(text, file, start);
    }

    /// <summary>Reads the one <c>digraph NAME { ... }</c> block in <paramref name="text"/>.</summary>
    /// <param name="file">The name used in error messages and nowhere else.</param>
    public static DotGraph Read(string text, string file)
    {
        int start = FindBlock(text, 0, out int firstWord);
        if (start < 0)
            throw firstWord >= 0
                ? new ModelInputException(file, DotLexer.LineAt(text, firstWord), "expected '{' after 'digraph' and its optional name")
                : new ModelInputException(file, DotLexer.LineAt(text, text.Length), "no digraph in the file: expected 'digraph NAME { ... }'");
        var graph = new DotReader(text, file, start).Graph(start);
        // A second block would be ignored: say so rather than judge a graph the user did not mean.
        int second = FindBlock(text, graph.End, out _);
        if (second >= 0)
            throw new ModelInputException(file, DotLexer.LineAt(text, second),
                $"a second digraph (the first is at line {graph.Line}): a file holds one graph, keep one of them");
        return graph;
    }

    /// <summary>
    /// The offset of the first word <c>digraph</c> from <paramref name="from"/> on that is followed by an optional name
    /// and <c>{</c>, or -1: prose may mention the word (or put a stray <c>J</c> before it) without it starting a graph.
    /// <paramref name="firstWord"/> is the first mention of the word, or -1.
    /// </summary>
    static int FindBlock(string text, int from, out int firstWord)
    {
        firstWord = -1;
        for (int i = text.IndexOf("digraph", from, StringComparison.Ordinal); i >= 0; i = text.IndexOf("digraph", i + 1, StringComparison.Ordinal))
        {
            int after = i + "digraph".Length;
            if (i > 0 && DotLexer.IsIdChar(text[i - 1]) || after < text.Length && DotLexer.IsIdChar(text[after])) continue;
            if (firstWord < 0) firstWord = i;
            if (OpensBlock(text, after)) return i;
        }
        return -1;
    }

    /// <summary>True when <c>[spaces] [name or "name"] [spaces] {</c> follows.</summary>
    static bool OpensBlock(string text, int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        if (i < text.Length && text[i] == '"')
        {
            int close = text.IndexOf('"', i + 1);
            if (close < 0) return false;
            i = close + 1;
        }
        else while (i < text.Length && DotLexer.IsIdChar(text[i])) i++;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        return i < text.Length && text[i] == '{';
    }

    DotGraph Graph(int start)
    {
        var keyword = _lexer.Next(); // "digraph", found by FindBlock
        string? name = null;
        var open = _lexer.Next();
        if (open.IsName) { name = open.Text; open = _lexer.Next(); }
        if (open.Kind != TokenKind.LeftBrace) throw Expected("'{' after 'digraph'", open);

        var nodes = new List<DotNode>();
        var edges = new List<DotEdge>();
        var edgeDefaults = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            var t = _lexer.Next();
            switch (t.Kind)
            {
                case TokenKind.RightBrace:
                    return new DotGraph(name, nodes, edges, start, t.Offset + 1, keyword.Line);
                case TokenKind.Semicolon:
                    continue;
                case TokenKind.End:
                    throw Expected($"'}}' to close the digraph opened at line {keyword.Line}", t);
                case TokenKind.Id when t.Text is "subgraph":
                    throw Error(t.Line, "subgraphs are not supported: expected a node or edge statement");
                case TokenKind.Id when t.Text is "graph" or "node" or "edge" && _lexer.Peek().Kind == TokenKind.LeftBracket:
                    var defaults = AttributeLists();
                    if (t.Text == "edge") foreach (var (k, v) in defaults) edgeDefaults[k] = v;
                    continue;
                case TokenKind.Id or TokenKind.String:
                    Statement(t, nodes, edges, edgeDefaults);
                    continue;
                default:
                    throw Expected("a node or edge statement, or '}'", t);
            }
        }
    }

    void Statement(Token first, List<DotNode> nodes, List<DotEdge> edges, Dictionary<string, string> edgeDefaults)
    {
        var next = _lexer.Peek();
        if (next.Kind == TokenKind.Equals) // a graph attribute such as rankdir=LR
        {
            _lexer.Next();
            var value = _lexer.Next();
            if (!value.IsName) throw Expected($"a value after {first.Shown} =", value);
            return;
        }
        if (next.Kind == TokenKind.UndirectedEdge)
            throw Error(next.Line, "'--' is an undirected edge: expected '->' in a digraph");
        if (next.Kind != TokenKind.Arrow)
        {
            nodes.Add(new DotNode(first.Text, first.Line, AttributeLists()));
            return;
        }
        var chain = new List<Token> { first };
        while (_lexer.Peek().Kind == TokenKind.Arrow)
        {
            _lexer.Next();
            var target = _lexer.Next();
            if (!target.IsName) throw Expected("a node name after '->'", target);
            chain.Add(target);
        }
        var attributes = new Dictionary<string, string>(edgeDefaults, StringComparer.Ordinal);
        foreach (var (k, v) in AttributeLists()) attributes[k] = v;
        for (int i = 0; i + 1 < chain.Count; i++)
            edges.Add(new DotEdge(chain[i].Text, chain[i + 1].Text, chain[i].Line, attributes));
    }

    /// <summary>Zero or more <c>[ name=value, ... ]</c> lists; later values win.</summary>
    Dictionary<string, string> AttributeLists()
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (_lexer.Peek().Kind == TokenKind.LeftBracket)
        {
            var open = _lexer.Next();
            while (true)
            {
                var t = _lexer.Next();
                if (t.Kind == TokenKind.RightBracket) break;
                if (t.Kind is TokenKind.Comma or TokenKind.Semicolon) continue;
                if (t.Kind == TokenKind.End) throw Expected($"']' to close the attribute list opened at line {open.Line}", t);
                if (!t.IsName) throw Expected("an attribute name or ']'", t);
                var eq = _lexer.Next();
                if (eq.Kind != TokenKind.Equals) throw Expected($"'=' after attribute {t.Shown}", eq);
                var value = _lexer.Next();
                if (!value.IsName) throw Expected($"a value for attribute {t.Shown}", value);
                attributes[t.Text] = value.Text;
            }
        }
        return attributes;
    }

    ModelInputException Expected(string what, Token found) => Error(found.Line, $"expected {what}, found {found.Describe()}");
    ModelInputException Error(int line, string problem) => new(_file, line, problem);
}

enum TokenKind { Id, String, Arrow, UndirectedEdge, LeftBrace, RightBrace, LeftBracket, RightBracket, Equals, Semicolon, Comma, End }

readonly record struct Token(TokenKind Kind, string Text, int Line, int Offset)
{
    /// <summary>An identifier or a quoted string: what DOT accepts as a node name or attribute value.</summary>
    public bool IsName => Kind is TokenKind.Id or TokenKind.String;

    /// <summary>The token's text for a message, escaped and cut where it holds what a terminal line cannot show.</summary>
    public string Shown => Kind == TokenKind.String ? InputText.Quote(Text) : InputText.Word(Text);

    public string Describe() => Kind switch
    {
        TokenKind.End => "end of file",
        TokenKind.String => InputText.Quote(Text),
        _ => Shown,
    };
}

/// <summary>DOT tokens, produced on demand so the text after the block (mail footers, addresses) is never tokenized.</summary>
sealed class DotLexer(string text, string file, int start)
{
    int _pos = start;
    int _line = LineAt(text, start);
    Token? _peeked;

    public static int LineAt(string text, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < text.Length; i++) if (text[i] == '\n') line++;
        return line;
    }

    public static bool IsIdChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '.' || c >= 0x80;

    public Token Peek() => _peeked ??= Scan();

    public Token Next()
    {
        var t = Peek();
        _peeked = null;
        return t;
    }

    Token Scan()
    {
        SkipSpaceAndComments();
        if (_pos >= text.Length) return new(TokenKind.End, "", _line, _pos);
        int at = _pos;
        char c = text[_pos];
        switch (c)
        {
            case '{': _pos++; return new(TokenKind.LeftBrace, "{", _line, at);
            case '}': _pos++; return new(TokenKind.RightBrace, "}", _line, at);
            case '[': _pos++; return new(TokenKind.LeftBracket, "[", _line, at);
            case ']': _pos++; return new(TokenKind.RightBracket, "]", _line, at);
            case '=': _pos++; return new(TokenKind.Equals, "=", _line, at);
            case ';': _pos++; return new(TokenKind.Semicolon, ";", _line, at);
            case ',': _pos++; return new(TokenKind.Comma, ",", _line, at);
            case '"': return QuotedString();
        }
        if (c == '-' && At(1) == '>') { _pos += 2; return new(TokenKind.Arrow, "->", _line, at); }
        if (c == '-' && At(1) == '-') { _pos += 2; return new(TokenKind.UndirectedEdge, "--", _line, at); }
        if (IsIdChar(c) || c == '-' && (char.IsDigit(At(1)) || At(1) == '.'))
        {
            _pos++;
            while (_pos < text.Length && IsIdChar(text[_pos])) _pos++;
            return new(TokenKind.Id, text[at.._pos], _line, at);
        }
        throw new ModelInputException(file, _line, $"unexpected character {InputText.Describe(c)}: expected a name, a quoted string, '->', '[', ']', '=', ';' or '}}'");
    }

    char At(int ahead) => _pos + ahead < text.Length ? text[_pos + ahead] : '\0';

    /// <summary>
    /// A quoted string. As in DOT, only <c>\"</c> is an escape here and a backslash before a newline continues the line;
    /// label escapes such as <c>\n</c> stay as written, for the label's reader to interpret.
    /// </summary>
    Token QuotedString()
    {
        int openLine = _line, at = _pos;
        var value = new System.Text.StringBuilder();
        for (_pos++; _pos < text.Length; _pos++)
        {
            char c = text[_pos];
            if (c == '"') { _pos++; return new(TokenKind.String, value.ToString(), openLine, at); }
            if (c == '\n') _line++;
            if (c == '\\' && At(1) == '"') { value.Append('"'); _pos++; continue; }
            if (c == '\\' && At(1) == '\n') { _pos++; _line++; continue; }
            value.Append(c);
        }
        throw new ModelInputException(file, openLine, "unterminated string: expected a closing '\"' before the end of the file");
    }

    void SkipSpaceAndComments()
    {
        while (_pos < text.Length)
        {
            char c = text[_pos];
            if (c == '\n') { _line++; _pos++; }
            else if (char.IsWhiteSpace(c)) _pos++;
            else if (c == '/' && At(1) == '/' || c == '#' && AtLineStart()) SkipToEndOfLine();
            else if (c == '/' && At(1) == '*') SkipBlockComment();
            else return;
        }
    }

    bool AtLineStart()
    {
        for (int i = _pos - 1; i >= 0 && text[i] != '\n'; i--) if (!char.IsWhiteSpace(text[i])) return false;
        return true;
    }

    void SkipToEndOfLine()
    {
        while (_pos < text.Length && text[_pos] != '\n') _pos++;
    }

    void SkipBlockComment()
    {
        int openLine = _line;
        int close = text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (close < 0) throw new ModelInputException(file, openLine, "unterminated comment: expected '*/' before the end of the file");
        for (int i = _pos; i < close; i++) if (text[i] == '\n') _line++;
        _pos = close + 2;
    }
}
