namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint analyze</c>: placeholder until the seed-graph reader lands.</summary>
public sealed class AnalyzeCommand : ICommand
{
    public string Name => "analyze";
    public string Summary => "compare a protocol graph with the reference table";
    public string Help => "usage: pagehint analyze [FILE]";
    public int Run(Arguments args, TextWriter output, TextWriter errors)
    {
        args.RejectUnknown();
        output.WriteLine("not yet");
        return CommandLine.Ok;
    }
}
