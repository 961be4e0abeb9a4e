namespace PageHintVerify.Engine;

/// <summary>Human-readable numbers.</summary>
public static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:F1} KiB",
        _ => $"{bytes} B",
    };

    /// <summary>A count and its noun, singular for one: <c>1 step</c>, <c>1,296 states</c>.</summary>
    public static string Count(long n, string noun) => $"{n:N0} {noun}{(n == 1 ? "" : "s")}";

    /// <summary>Parses 512M, 4G, 1.5GiB, 100000 (bytes).</summary>
    public static bool TryParseBytes(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim().ToUpperInvariant().Replace("IB", "").Replace("B", "");
        long unit = 1;
        if (t.EndsWith('K')) unit = 1L << 10;
        else if (t.EndsWith('M')) unit = 1L << 20;
        else if (t.EndsWith('G')) unit = 1L << 30;
        if (unit != 1) t = t[..^1];
        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || v <= 0) return false;
        bytes = (long)(v * unit);
        return true;
    }
}
