using PageHintVerify.Checker.Cli;
using PageHintVerify.Model;

namespace PageHintVerify.Checker.Exploration;

/// <summary>One thing a guest program may do next: an operation, and where the program goes after it.</summary>
/// <param name="Page">An absolute page, or -1 for the page the vCPU is working on.</param>
/// <param name="NextIfFailed">Where to go when set_stable_if_present fails.</param>
public readonly record struct Choice(PageOp Op, int Next, int NextIfFailed, int Page = -1);

/// <summary>
/// A guest program as data: for each program counter, the choices open to the vCPU. A pc marked as an iteration
/// boundary ends one pass of the loop; the last pass ends there instead, and the vCPU moves to its next page.
/// </summary>
public sealed class GuestProgram
{
    public string Name { get; }
    public Choice[][] Steps { get; }
    /// <summary>The pc that starts the next pass (or is skipped on the last).</summary>
    public int IterationBoundary { get; }
    /// <summary>The most general guest: any operation on any page, forever.</summary>
    public bool AnyPage { get; }

    GuestProgram(string name, Choice[][] steps, int boundary = -1, bool anyPage = false)
    {
        Name = name;
        Steps = steps;
        IterationBoundary = boundary;
        AnyPage = anyPage;
    }

    public int Done => Steps.Length;

    // Program counters of the page-cache program.
    const int Alloc = 0, Write = 1, Writeback = 2, SetVolatile = 3, WriteAgain = 4, MakeStable = 5, Reload = 6, Read0 = 7, Read1 = 8, Between = 9;

    static Choice Go(Operation op, int next, byte cell = 0) => new(new PageOp(op, cell), next, next);

    /// <summary>
    /// SPEC section 6's page cache, per page: allocate, write, writeback, set_volatile(w) with w chosen, a second write
    /// if w=1 (or not), make stable again with set_stable_if_present (on failure reload), read both cells, and between
    /// passes either set_unused (then allocate again) or keep the page and write it again.
    /// </summary>
    public static GuestProgram PageCache(bool ignoreResults) => new(ignoreResults ? "ignore-results" : "page-cache",
    [
        /* Alloc      */ [Go(Operation.SetStable, Write)],
        /* Write      */ [Go(Operation.Write, Writeback, 0)],
        /* Writeback  */ [Go(Operation.Writeback, SetVolatile)],
        /* SetVolatile*/ [Go(Operation.SetVolatile, MakeStable), Go(Operation.SetVolatileWritable, WriteAgain), Go(Operation.SetVolatileWritable, MakeStable)],
        /* WriteAgain */ [Go(Operation.Write, MakeStable, 1)],
        /* MakeStable */ [ignoreResults
                            ? Go(Operation.SetStable, Read0)   // ignores that the content may be gone
                            : new Choice(new PageOp(Operation.SetStableIfPresent), Read0, Reload)],
        /* Reload     */ [Go(Operation.Reload, Read0)],
        /* Read0      */ [Go(Operation.Read, Read1, 0)],
        /* Read1      */ [Go(Operation.Read, Between, 1)],
        /* Between    */ [Go(Operation.SetUnused, Alloc), Go(Operation.Write, Writeback, 0)],
    ], boundary: Between);

    /// <summary>The most general guest: any guest operation of SPEC section 3 on any page at any time.</summary>
    public static GuestProgram Any { get; } = new("any", [PageOp.AllGuest.Select(op => new Choice(op, 0, 0)).ToArray()], anyPage: true);

    /// <summary>
    /// The longest script a vCPU may run. Its program counter would fit far more; the bound is replay's, which walks a
    /// trace depth first (a 4,096-step script gives at most about 12,000 steps at naive or cas, well within the stack).
    /// </summary>
    public const int MaxScriptSteps = 1 << 12;

    /// <summary>A fixed list of operations, each "operation page" (e.g. "set_stable_if_present 0").</summary>
    public static GuestProgram Scripted(IReadOnlyList<string> script, int pages, string where)
    {
        var steps = new Choice[script.Count][];
        for (int i = 0; i < script.Count; i++)
        {
            int space = script[i].LastIndexOf(' ');
            if (space < 0 || !PageOp.TryParse(script[i][..space].Trim(), out var op) || op.Op == Operation.HostReclaim
                || !int.TryParse(script[i][(space + 1)..], out var page) || page < 0 || page >= pages)
                throw new UsageException($"{where} step {i + 1} {InputText.Quote(script[i])}: expected a guest operation and a page 0..{pages - 1}, e.g. \"write(1) 0\"");
            steps[i] = [new Choice(op, i + 1, i + 1, page)];
        }
        return new("scripted", steps);
    }
}
