using PageHintVerify.Model;

namespace PageHintVerify.Checker.Cli;

/// <summary>A bad command line or configuration: one line on stderr, exit code 2.</summary>
public class UsageException(string message) : Exception(message);

/// <summary>Input that cannot be read or is malformed; the message names the file and what is wrong. Exit code 2.</summary>
public sealed class InputException(string file, string message) : UsageException($"{file}: {message}")
{
    public string File { get; } = file;
}

/// <summary>One <c>pagehint</c> command.</summary>
public interface ICommand
{
    string Name { get; }
    /// <summary>One line for the command list.</summary>
    string Summary { get; }
    /// <summary>The whole help text, usage line first.</summary>
    string Help { get; }
    /// <summary>Runs the command; returns the exit code (0 ok, 1 violation found, 2 usage or input error; a command's
    /// help names any other).</summary>
    int Run(Arguments args, TextWriter output, TextWriter errors);
}

/// <summary>The <c>pagehint</c> front end: dispatches to a command and turns errors into one line and exit code 2.</summary>
public static class CommandLine
{
    public const int Ok = 0, ViolationFound = 1, UsageError = 2;

    /// <summary>Every command, in the order <c>pagehint --help</c> lists them.</summary>
    public static readonly IReadOnlyList<ICommand> Commands =
    [
        new AnalyzeCommand(),
        new CheckCommand(),
        new SiloCommand(),
        new ReplayCommand(),
        new ProveCommand(),
        new BenchTableCommand(),
        new ExportCommand(),
        new BenchCommand(),
    ];

    public static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            // Asked for, the usage is the output; given no command, it is the error that explains what to type.
            var usage = args.Length == 0 ? errors : output;
            usage.WriteLine("usage: pagehint <command> [options]   (pagehint <command> --help for one command; pagehint --version)\n");
            foreach (var c in Commands) usage.WriteLine($"  {c.Name,-14}{c.Summary}");
            return args.Length == 0 ? UsageError : Ok;
        }
        if (args is ["--version"])
        {
            VersionReport.Write(output);
            return Ok;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            errors.WriteLine(Printable($"pagehint: unknown command '{args[0]}' (commands: {string.Join(", ", Commands.Select(c => c.Name))})"));
            return UsageError;
        }
        if (args.Skip(1).Any(a => a is "-h" or "--help"))
        {
            output.WriteLine(command.Help);
            return Ok;
        }
        try
        {
            return command.Run(new Arguments(command.Name, args[1..]), output, errors);
        }
        catch (Exception e) when (OneLine(e) is { } problem)
        {
            errors.WriteLine(Error(command, problem.Message));
            return UsageError;
        }
    }

    /// <summary>The error line of <paramref name="command"/>: <c>pagehint check: message</c>, always one printable line.</summary>
    public static string Error(ICommand command, string message) => Printable($"pagehint {command.Name}: {message}");

    /// <summary>
    /// <paramref name="text"/> with every control character (newline, ESC, NUL, …) and line separator written as an
    /// escape (<c>\n</c>, <c>\x1b</c>, <c>\0</c>), so that a file name or token echoed from the user cannot break a
    /// line in two or drive the terminal.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.Any(NeedsEscape)) return text;
        var b = new System.Text.StringBuilder(text.Length + 8);
        foreach (char c in text)
            b.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                _ when !NeedsEscape(c) => c.ToString(),
                _ when c <= 0xFF => $"\\x{(int)c:x2}",
                _ => $"\\u{(int)c:x4}",
            });
        return b.ToString();
    }

    static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    /// <summary>The engine's limit in the user's terms, with what to change.</summary>
    static string Advice(StateSpaceLimitException e) => e.Limit switch
    {
        StateSpaceLimit.StateBits => "the configuration needs more than 127 bits of state; use fewer pages, vCPUs or host threads",
        _ => $"{e.Message}; use --hash-compact or a smaller configuration",
    };

    /// <summary>The usage or input error behind <paramref name="e"/> (ModelInputException is already one line:
    /// file:line: problem), also when a parallel loop wrapped it; a file that cannot be read or written (the
    /// operating system's message names it) is one too. Null for a bug, which keeps its stack trace.</summary>
    static Exception? OneLine(Exception e) => e switch
    {
        UsageException or ModelInputException or IOException or UnauthorizedAccessException => e,
        StateSpaceLimitException limit => new UsageException(Advice(limit)),
        AggregateException a => a.Flatten().InnerExceptions.Select(OneLine).FirstOrDefault(x => x is not null),
        _ => null,
    };
}

/// <summary>
/// <c>--name value</c>, <c>--flag</c> and positional arguments. Each command declares what it takes; anything else is
/// a usage error that names the argument.
/// </summary>
public sealed class Arguments
{
    readonly string _command;
    readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    readonly HashSet<string> _consumed = new(StringComparer.Ordinal);

    readonly IReadOnlyList<string> _positional;
    bool _positionalRead;

    /// <summary>The arguments that are not options; a command that never reads them refuses them.</summary>
    public IReadOnlyList<string> Positional
    {
        get
        {
            _positionalRead = true;
            return _positional;
        }
    }

    public Arguments(string command, string[] args)
    {
        _command = command;
        var positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (!IsOption(a)) { positional.Add(a); continue; }
            string name = a, value;
            int eq = a.IndexOf('=');
            if (eq > 0) { name = a[..eq]; value = a[(eq + 1)..]; }
            else if (i + 1 < args.Length && !IsOption(args[i + 1])) value = args[++i];
            else value = "";
            if (!_options.TryAdd(name, value)) throw new UsageException($"{name} given twice");
        }
        _positional = positional;
    }

    /// <summary>Whether an argument names an option: <c>--name</c> or <c>-x</c>, but not a negative number such as
    /// <c>-1</c> (a value, refused by the option that reads it), <c>-</c> or <c>--</c>.</summary>
    static bool IsOption(string a) =>
        a.Length > 1 && a[0] == '-' && a != "--" && !(char.IsAsciiDigit(a[1]) || a[1] == '.');

    /// <summary>Marks a flag (an option with no value) and says whether it was given.</summary>
    public bool Flag(string name)
    {
        _consumed.Add(name);
        if (!_options.TryGetValue(name, out var v)) return false;
        // "--all foo" reads foo as the flag's value; refuse it rather than guess whether foo was meant as a positional.
        if (!string.IsNullOrEmpty(v)) throw new UsageException($"{name} takes no value (got '{v}')");
        return true;
    }

    public string? Text(string name)
    {
        _consumed.Add(name);
        if (!_options.TryGetValue(name, out var v)) return null;
        if (string.IsNullOrEmpty(v)) throw new UsageException($"{name} needs a value");
        return v;
    }

    public int? Int(string name, int min, int max)
    {
        var t = Text(name);
        if (t is null) return null;
        if (!int.TryParse(t, out var n) || n < min || n > max)
            throw new UsageException($"{name} takes a whole number from {min} to {max} (got '{t}')");
        return n;
    }

    public T? Choice<T>(string name, IReadOnlyDictionary<string, T> choices) where T : struct
    {
        var t = Text(name);
        if (t is null) return null;
        return choices.TryGetValue(t, out var v) ? v
            : throw new UsageException($"{name} takes one of {string.Join(", ", choices.Keys)} (got '{t}')");
    }

    /// <summary>Call after reading every option: refuses the ones the command does not know, and arguments it does not take.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.FirstOrDefault(k => !_consumed.Contains(k));
        if (unknown is not null) throw new UsageException($"unknown option {unknown} (see pagehint {_command} --help)");
        if (!_positionalRead && _positional.Count > 0)
            throw new UsageException($"unexpected argument '{_positional[0]}' (see pagehint {_command} --help)");
    }
}
