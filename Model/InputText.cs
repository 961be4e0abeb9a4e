using System.Text;

namespace PageHintVerify.Model;

/// <summary>
/// Reading a user's text file and quoting what it says back in messages, for every loader (configurations,
/// counterexamples, digraphs): the file is read incrementally and refused past <see cref="MaxBytes"/>, so a huge file,
/// <c>/dev/zero</c> or a pipe that never ends costs at most that much; it must be UTF-8 (a UTF-8 or UTF-16 byte-order
/// mark is honoured). Every problem is a <see cref="ModelInputException"/> naming the file.
/// </summary>
public static class InputText
{
    /// <summary>The largest input file read: far above any real configuration, counterexample or graph.</summary>
    public const int MaxBytes = 16 << 20;

    static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Read(string path)
    {
        if (path.Length == 0) throw Cannot(path, "the path is empty");
        if (Directory.Exists(path)) throw Cannot(path, "it is a folder, not a file");
        byte[] bytes;
        try { bytes = ReadCapped(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { throw Cannot(path, "no such file"); }
        catch (UnauthorizedAccessException) { throw Cannot(path, "permission denied"); }
        catch (PathTooLongException) { throw Cannot(path, "the path is too long"); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException) { throw Cannot(path, "not a valid path"); }
        catch (IOException e) { throw Cannot(path, Clean(e.Message)); }
        return Decode(path, bytes);
    }

    /// <summary>How long opening an input may take: a FIFO opens only once something opens it for writing, which may be never.</summary>
    public static readonly TimeSpan OpenTimeout = TimeSpan.FromSeconds(5);

    /// <summary>At most <see cref="MaxBytes"/>: a file that says it is larger is refused unread, a stream once it has given more.</summary>
    static byte[] ReadCapped(string path)
    {
        // Opened on another thread, so that a FIFO with no writer is refused instead of blocking for ever (the thread
        // stays blocked until a writer comes or the process ends; it holds nothing).
        var opening = Task.Run(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0));
        if (Task.WhenAny(opening, Task.Delay(OpenTimeout)).GetAwaiter().GetResult() != opening)
            throw Cannot(path, $"nothing opened it for writing within {OpenTimeout.TotalSeconds:0} s: a FIFO with no writer?");
        using var stream = opening.GetAwaiter().GetResult();
        if (stream.CanSeek && stream.Length > MaxBytes) throw TooLarge(path);
        var content = new MemoryStream();
        var chunk = new byte[64 << 10];
        for (int n; (n = stream.Read(chunk)) > 0;)
        {
            if (content.Length + n > MaxBytes) throw TooLarge(path);
            content.Write(chunk, 0, n);
        }
        return content.ToArray();
    }

    static string Decode(string path, byte[] bytes)
    {
        var (encoding, skip) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => (Utf8, 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2),
            _ => (Utf8, 0),
        };
        try { return encoding.GetString(bytes, skip, bytes.Length - skip); }
        catch (DecoderFallbackException e)
        {
            int at = skip + Math.Max(0, e.Index);
            throw new ModelInputException(Name(path), null, $"not UTF-8 text (byte 0x{bytes[Math.Min(at, bytes.Length - 1)]:X2} at offset {at} is not valid {encoding.WebName})");
        }
    }

    static ModelInputException Cannot(string path, string why) => new(Name(path), null, $"cannot read it ({why})");

    static ModelInputException TooLarge(string path) => new(Name(path), null, $"larger than {MaxBytes >> 20} MiB, more than any input of pagehint: not read");

    /// <summary>A file name for a message: as it is, or quoted when empty, very long or holding control characters.</summary>
    public static string Name(string path) => Plain(path, 200);

    /// <summary>A name from an input file for a message: as it is when it can be shown so, else <see cref="Quote"/>d.</summary>
    public static string Plain(string value, int max = 80) =>
        value.Length > 0 && value.Length <= max && Printable(value) ? value : Quote(value, max);

    /// <summary>Whether a text shows as it is on one line: no control characters, line separators or lone surrogates.</summary>
    public static bool Printable(string value) => !value.Any(NeedsEscape);

    /// <summary>A word from an input file for a message: in single quotes when it can be shown as is, else <see cref="Quote"/>d.</summary>
    public static string Word(string value) => Plain(value) == value ? $"'{value}'" : Quote(value);

    /// <summary>
    /// A value from an input file, in double quotes, for a one-line message: control characters, line separators and
    /// lone surrogates as <c>\uXXXX</c> escapes (<c>\n</c>, <c>\t</c>, <c>\r</c> as such), a quote as <c>\"</c>, cut
    /// after <paramref name="max"/> characters with an ellipsis. A backslash stays as it is, so a label's <c>\n</c>
    /// reads as written: the aim is one readable line, not a reversible encoding.
    /// </summary>
    public static string Quote(string value, int max = 80) => $"\"{Escape(value, max, quote: true)}\"";

    /// <summary>A message from elsewhere (the runtime, a parser) that may quote the input: on one line, cut after
    /// <paramref name="max"/> characters, escaped as <see cref="Quote"/> escapes but without quotes around it.</summary>
    public static string Clean(string message, int max = 200) => Escape(message, max, quote: false);

    static string Escape(string value, int max, bool quote)
    {
        var text = new StringBuilder();
        int end = Math.Min(value.Length, max);
        for (int i = 0; i < end; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (i + 1 >= end) break; // do not cut a pair in two
                text.Append(c).Append(value[++i]);
                continue;
            }
            text.Append(c switch
            {
                '"' when quote => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when NeedsEscape(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        if (end < value.Length) text.Append('…');
        return text.ToString();
    }

    /// <summary>One character for a message: itself in single quotes, or <c>U+XXXX</c> when it cannot be shown.</summary>
    public static string Describe(char c) => NeedsEscape(c) ? $"U+{(int)c:X4}" : $"'{c}'";

    static bool NeedsEscape(char c) => char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085';
}
