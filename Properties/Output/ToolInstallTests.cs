using System.Diagnostics;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Properties.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Output;

/// <summary>
/// pagehint as a user installs it: packed as a .NET tool, installed into a temporary tool path from that package alone
/// (its own NuGet cache and configuration, so no stale copy of the package can stand in), then run.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ToolInstallTests() : CommandTests("pagehint-tool-")
{
    [Fact]
    public void PacksInstallsAndRuns()
    {
        // The configuration this test was built in: the Checker's build output of it is what gets packed.
        string configuration = new DirectoryInfo(Path.GetDirectoryName(typeof(CommandLine).Assembly.Location)!).Parent!.Name;
        string packages = Path.Combine(Dir, "packages"), tools = Path.Combine(Dir, "tools");
        string version = $"1.0.0-test{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var project = Path.Combine(SeedFiles.RepositoryRoot(), "Checker", "Checker.csproj");
        Exec("dotnet", "pack", project, "-c", configuration, "--no-build", "-nologo", "-o", packages, $"-p:PackageVersion={version}");
        Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
            """);
        Exec("dotnet", "tool", "install", "--tool-path", tools, "--configfile", Path.Combine(Dir, "nuget.config"),
            "--version", version, "PageHintVerify.Pagehint");

        var pagehint = Path.Combine(tools, "pagehint");
        var (_, versionText) = Exec(pagehint, "--version");
        Assert.StartsWith("pagehint 1.0.0\nZ3: 4.", versionText); // the shim shipped inside the package loads Z3
        // A graph variant: the seed graphs travel inside the package too.
        var (code, check) = Exec(pagehint, "check", "--quiet", "--variant", "graph2", "--json");
        Assert.Equal(1, code);
        Assert.Contains("\"verdict\": \"violation\"", check);
    }

    (int Code, string Output) Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NUGET_PACKAGES"] = Path.Combine(Dir, "nuget-cache");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(start)!;
        var errors = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode is 0 or 1, $"{file} {string.Join(' ', args)} exited {p.ExitCode}:\n{output}\n{errors.Result}");
        return (p.ExitCode, output);
    }
}
