using System.Diagnostics;
using Microsoft.Z3;
using PageHintVerify.Checker.Cli;
using PageHintVerify.Checker.Z3;
using PageHintVerify.Model;
using Xunit;

namespace PageHintVerify.Properties.Z3;

public class Z3SessionTests
{
    /// <summary>
    /// libz3 4.8.12 crashed within 3,000 checks when the wrapper's finalizers released Z3 objects from the GC finalizer
    /// thread. Here every round leaves its solver, encoding and expressions to the finalizer, forces a collection, and
    /// the next round runs while the shim replays those releases; the session is disposed with releases still pending.
    /// Collections also run in the middle of a round, while the session's thread holds the context.
    /// </summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void SixThousandChecksWithForcedCollectionsSurviveAndStayRight()
    {
        const int Rounds = 24, ChecksPerRound = 250;
        var pages = PageState.Domain().ToArray();
        using var session = new Z3Session();
        int checks = 0, wrong = 0;
        for (int round = 0; round < Rounds; round++)
        {
            wrong += session.Run(context =>
            {
                var z3 = new Z3Encoding(context);
                var solver = context.MkSolver();
                var i1 = z3.Translate(Invariants.I1.Holds);
                int bad = 0;
                for (int i = 0; i < ChecksPerRound; i++)
                {
                    var page = pages[(round * ChecksPerRound + i) * 7919 % pages.Length];
                    solver.Push();
                    solver.Assert(z3.Fixed(StepFacts.OfState(page)), i1);
                    bool sat = solver.Check() == Status.SATISFIABLE;
                    solver.Pop();
                    if (sat != FormulaEvaluator.Holds(Invariants.I1.Holds, StepFacts.OfState(page))) bad++;
                    checks++;
                    if (i % 50 == 49) GC.Collect();
                }
                return bad;
            });
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        Assert.Equal(Rounds * ChecksPerRound, checks);
        Assert.Equal(0, wrong);
    }

    /// <summary>
    /// The shim alone, without the session's lock: a context used freely on its own thread while collections run the
    /// wrapper's finalizers. With the shim's queue removed, libz3 4.8.12 aborted (ASSERTION VIOLATION) in 4 of 4 runs of
    /// this test; the shim replays those releases on the owner thread. The only Context made outside Z3Session, on purpose.
    /// </summary>
    [Trait("Category", "Slow")]
    [Fact]
    public void TwentyThousandUnlockedChecksSurviveFinalizerReleases()
    {
        _ = SharedZ3.Session; // loads the library and maps Microsoft.Z3 to it
        var pages = PageState.Domain().ToArray();
        int checks = 0, wrong = 0;
        var owner = new Thread(() =>
        {
            using var context = new Context();
            for (int round = 0; round < 80; round++)
            {
                var z3 = new Z3Encoding(context);
                var solver = context.MkSolver();
                var i1 = z3.Translate(Invariants.I1.Holds);
                for (int i = 0; i < 250; i++, checks++)
                {
                    var page = pages[checks * 7919 % pages.Length];
                    solver.Push();
                    solver.Assert(z3.Fixed(StepFacts.OfState(page)), i1);
                    bool sat = solver.Check() == Status.SATISFIABLE;
                    solver.Pop();
                    if (sat != FormulaEvaluator.Holds(Invariants.I1.Holds, StepFacts.OfState(page))) wrong++;
                    if (i % 50 == 49) GC.Collect();
                }
            }
        });
        owner.Start();
        owner.Join();
        Assert.Equal(20_000, checks);
        Assert.Equal(0, wrong);
    }

    [Fact]
    public void CallsFromManyThreadsRunOnTheSessionThread()
    {
        var calls = Enumerable.Range(0, 8).AsParallel().Select(i => (Caller: Environment.CurrentManagedThreadId, Ran: SharedZ3.Session.Run(context =>
            context.MkSolver() is var s && s.Check(context.MkEq(context.MkIntConst("x"), context.MkInt(i))) == Status.SATISFIABLE
                ? Environment.CurrentManagedThreadId : -1))).ToList();
        int sessionThread = Assert.Single(calls.Select(c => c.Ran).Distinct());
        Assert.NotEqual(-1, sessionThread);
        // Not run inline: PLINQ may make every call from one thread, which alone would prove nothing.
        Assert.All(calls, c => Assert.NotEqual(c.Caller, sessionThread));
    }

    [Fact]
    public void ProvePrintsTheLoadedVersionAndProvesTheReference()
    {
        var output = new StringWriter();
        int code = CommandLine.Run(["prove"], output, new StringWriter());
        var text = output.ToString();
        Assert.Equal(CommandLine.Ok, code);
        Assert.StartsWith($"Z3 {SharedZ3.Session.Version} from ", text);
        foreach (var inv in Invariants.All) Assert.Contains($"{inv.Id} {inv.Name}: proved", text);
    }

    [Fact]
    public void TheLibraryVariableSelectsTheNativeLibrary()
    {
        var dir = Directory.CreateTempSubdirectory("pagehint-libz3");
        try
        {
            var copy = Path.Combine(dir.FullName, "libz3.so.4");
            File.Copy(RealLibrary(), copy);
            var (code, stdout, _) = Pagehint(copy, "prove");
            Assert.Equal(0, code);
            Assert.Contains($"from {copy} (through libpagehint-z3.so)", stdout.Split('\n')[0]);
        }
        finally { dir.Delete(recursive: true); }
    }

    [Fact]
    public void AMissingLibraryIsOneLineWithTheInstallCommandAndExitCode2()
    {
        var (code, stdout, stderr) = Pagehint("/nonexistent/libz3.so.4", "prove");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("pagehint prove: cannot load Z3 from PAGEHINT_LIBZ3=/nonexistent/libz3.so.4", line);
        Assert.Contains("apt-get install libz3-4", line);
    }

    [Fact]
    public void ALibraryThatIsNotZ3IsOneLineAndExitCode2()
    {
        var (code, stdout, stderr) = Pagehint(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libSystem.Native.so"), "prove"); // the runtime's own native library
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is not a libz3 (it has no Z3_get_full_version)", line);
    }

    [Fact]
    public void AFileThatIsNoLibraryNamesTheLoaderError()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "not a library\n");
            var (code, _, stderr) = Pagehint(file, "prove");
            Assert.Equal(2, code);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"pagehint prove: cannot load Z3 from PAGEHINT_LIBZ3={file} ({file}: ", line);
        }
        finally { File.Delete(file); }
    }

    static string RealLibrary() => SharedZ3.Session.Library.Split(' ')[0];

    static (int Code, string Stdout, string Stderr) Pagehint(string library, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.ArgumentList.Add(typeof(CommandLine).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment[Z3Session.LibraryVariable] = library;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
