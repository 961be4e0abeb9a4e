using PageHintVerify.Model;

namespace PageHintVerify.TestKit;

/// <summary>
/// The text of a thread's operation in scenarios and schedule files: <c>p0 write(1)=2</c>, <c>p1 reload disk=21</c>,
/// <c>p0 host reclaim</c>: the page, the operation as <see cref="PageOp"/> writes it, a write's value, reload's disk.
/// </summary>
public static class ScenarioText
{
    public static string Format(ThreadOp op) => $"p{op.Page} {op.Op}" + op.Op.Op switch
    {
        Operation.Write => $"={op.Value}",
        Operation.Reload => $" disk={op.Disk.Item1}{op.Disk.Item2}",
        _ => "",
    };

    /// <summary>Reads what <see cref="Format"/> writes; null with <paramref name="error"/> set when it cannot.</summary>
    public static ThreadOp? Parse(string text, int pages, out string? error)
    {
        error = null;
        int space = text.IndexOf(' ');
        if (space < 2 || text[0] != 'p' || !int.TryParse(text[1..space], out int page) || page < 0 || page >= pages)
        {
            error = $"'{text}' does not start with a page p0..p{pages - 1}";
            return null;
        }
        string rest = text[(space + 1)..];
        byte value = 0;
        (byte, byte) disk = default;
        bool hasDisk = false;
        if (rest.StartsWith("write(", StringComparison.Ordinal) && rest.IndexOf('=') is var eq and > 0)
        {
            if (!byte.TryParse(rest[(eq + 1)..], out value) || value is < 1 or > 2)
            {
                error = $"'{text}': a write stores 1 or 2";
                return null;
            }
            rest = rest[..eq];
        }
        else if (rest.StartsWith("reload disk=", StringComparison.Ordinal))
        {
            string cells = rest["reload disk=".Length..];
            if (cells.Length != 2 || cells.Any(c => c is < '0' or > '2'))
            {
                error = $"'{text}': reload's disk is two cells 0..2, such as disk=21";
                return null;
            }
            disk = ((byte)(cells[0] - '0'), (byte)(cells[1] - '0'));
            rest = "reload";
            hasDisk = true;
        }
        if (!PageOp.TryParse(rest, out var op) || (op.Op == Operation.Write && value == 0) || (op.Op == Operation.Reload) != hasDisk)
        {
            error = $"'{text}' is not an operation such as 'p0 read(1)', 'p0 write(0)=2', 'p0 reload disk=21', 'p0 host reclaim'";
            return null;
        }
        return new ThreadOp(page, op, value, disk);
    }

    /// <summary>A scenario written as <c>threads</c> lists of operation texts over pages given as <see cref="PageState"/> texts.</summary>
    public static ConcurrentScenario Scenario(string[] initial, params string[][] threads)
    {
        var pages = initial.Select(p => PageState.TryParse(p, out var page) ? page : throw new FormatException($"bad page '{p}' in a scenario")).ToArray();
        return new ConcurrentScenario(pages, threads.Select(ops => ops.Select(o =>
            Parse(o, pages.Length, out var error) ?? throw new FormatException(error)).ToArray()).ToArray());
    }
}
