using PageHintVerify.Checker.Cli;

namespace PageHintVerify.Properties;

/// <summary>Tests of a <c>pagehint</c> command: runs it in-process and gives each test its own temporary folder.</summary>
public abstract class CommandTests(string prefix) : IDisposable
{
    protected readonly string Dir = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = CommandLine.Run(args, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>Writes <paramref name="text"/> to a file of the temporary folder and returns its path.</summary>
    protected string Write(string name, string text)
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
