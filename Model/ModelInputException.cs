namespace PageHintVerify.Model;

/// <summary>
/// Input the Model cannot read: a missing file, a malformed graph, a label or node it does not know. The message is one
/// line, <c>file:line: problem</c> (or <c>file: problem</c> when no line applies), so the Checker can print it as it is.
/// </summary>
public sealed class ModelInputException(string file, int? line, string problem)
    : Exception(line is { } l ? $"{file}:{l}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    /// <summary>The 1-based line the problem is on, or null when it concerns the whole file.</summary>
    public int? Line { get; } = line;
    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; } = problem;
}
