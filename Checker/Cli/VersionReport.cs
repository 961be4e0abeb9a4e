using System.Diagnostics;
using PageHintVerify.Checker.Z3;

namespace PageHintVerify.Checker.Cli;

/// <summary><c>pagehint --version</c>: the tool's version, then the Z3 and SPIN it would use, or "not found" and why.</summary>
public static class VersionReport
{
    public static void Write(TextWriter output)
    {
        output.WriteLine($"pagehint {JsonReport.ToolVersion}");
        output.WriteLine($"Z3: {Z3Version()}");
        output.WriteLine($"SPIN: {SpinVersion()}");
    }

    static string Z3Version()
    {
        try
        {
            using var session = new Z3Session();
            return $"{session.Version} ({session.Library})";
        }
        catch (Z3UnavailableException e) { return $"not found ({e.Message})"; }
    }

    /// <summary>What <c>spin -V</c> says, e.g. "6.5.2 (Spin Version 6.5.2 -- 6 December 2019)"; "not found" when it cannot run.</summary>
    static string SpinVersion()
    {
        try
        {
            var info = new ProcessStartInfo("spin", "-V") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(info);
            if (p is null) return "not found";
            string text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return SpinRun.VersionNumber(text) ?? $"not found (spin -V printed {CommandLine.Printable(text)})";
        }
        catch (System.ComponentModel.Win32Exception) { return "not found (no spin on the PATH; scripts/prereqs.sh installs it)"; }
    }
}
