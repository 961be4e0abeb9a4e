using System.Globalization;
using System.Text.RegularExpressions;
using PageHintVerify.Checker.Exploration;

namespace PageHintVerify.Checker.Cli;

/// <summary>
/// The C yardstick (bench/yardstick.c): a plain single-thread breadth-first search in C, built with <c>gcc -O3</c>, of
/// the same model pagehint searches. <see cref="WriteModel"/> hands it pagehint's memoized steps after an exhaustive
/// search, so it computes each state's successors as pagehint does and must count the same states and transitions; it
/// checks no invariants. It is the speed a search of this model can reach on one core, not a straw man: 64-bit states,
/// one visited table sized up front at most half full, successors hashed and prefetched in batches.
/// </summary>
public static class Yardstick
{
    /// <summary>What one run of the yardstick printed: its counts, its search time and the bytes it allocated.</summary>
    public sealed record Outcome(long States, long Transitions, int Depth, double Seconds, long Bytes)
    {
        public double StatesPerSecond => States / Math.Max(Seconds, 1e-3);
    }

    /// <summary>Whether gcc, which builds the yardstick, is on the PATH.</summary>
    public static bool Available => SpinRun.OnPath("gcc");

    /// <summary>The compiler flags, as bench prints them.</summary>
    public const string GccFlags = "-O3 -march=native";

    /// <summary>
    /// Writes model.h for <paramref name="system"/>, which must have been searched exhaustively (its step table then
    /// holds every step of every reachable state): the layout of the 64-bit state, the initial state, and each step group
    /// as its key, its step count and its effects (the bits to OR in after clearing the actor's and the page's fields).
    /// </summary>
    public static void WriteModel(TextWriter w, Interleavings system)
    {
        if (system.StateBits > Engine.StateStore.OneWordBits)
            throw new UsageException($"the C yardstick searches states of one word; {system.Configuration} needs {system.StateBits} bits");
        var groups = system.MemoizedStepGroups;
        int actors = system.ActorCount, pages = system.PageCount;
        var keep = new List<ulong>();
        for (int a = 0; a < actors; a++)
            for (int p = 0; p < pages; p++)
                keep.Add(~(Mask(system.ActorBlock(a)) | Mask(system.PageBlock(p))));
        var first = new List<int> { 0 };
        var effects = new List<ulong>();
        foreach (var (_, group) in groups)
        {
            effects.AddRange(group.Effects.Select(e => e.OrA));
            first.Add(effects.Count);
        }
        int maxEffects = groups.Count == 0 ? 0 : groups.Max(g => g.Steps.Effects.Length);

        w.WriteLine($"/* pagehint bench: the model of {system.Configuration}, for bench/yardstick.c */");
        w.WriteLine($"#define YS_ACTORS {actors}");
        w.WriteLine($"#define YS_PAGES {pages}");
        w.WriteLine($"#define YS_GROUPS {groups.Count}");
        w.WriteLine($"#define YS_MAX_SUCCESSORS {actors * pages * maxEffects + 1}");
        w.WriteLine($"#define YS_INITIAL {system.Initial.A}ULL");
        // A step group's key as the step table makes it (StepTable.Key).
        w.WriteLine($"#define YS_PAGE_SHIFT {StepTable.PageShift}");
        w.WriteLine($"#define YS_WORD_SHIFT {StepTable.WordShift}");
        w.WriteLine($"#define YS_LOCAL_SHIFT {StepTable.LocalShift}");
        Array(w, "unsigned char", "ys_actor_shift", Enumerable.Range(0, actors).Select(a => (ulong)system.ActorBlock(a).Shift));
        Array(w, "unsigned char", "ys_actor_width", Enumerable.Range(0, actors).Select(a => (ulong)system.ActorBlock(a).Width));
        Array(w, "unsigned char", "ys_page_shift", Enumerable.Range(0, pages).Select(p => (ulong)system.PageBlock(p).Shift));
        Array(w, "unsigned char", "ys_page_width", Enumerable.Range(0, pages).Select(p => (ulong)system.PageBlock(p).Width));
        Array(w, "unsigned long long", "ys_keep", keep);
        Array(w, "unsigned long long", "ys_group_key", groups.Select(g => g.Key));
        Array(w, "unsigned int", "ys_group_steps", groups.Select(g => (ulong)g.Steps.Steps));
        Array(w, "int", "ys_group_first", first.Select(f => (ulong)f));
        Array(w, "unsigned long long", "ys_effect", effects);
    }

    static ulong Mask(BitField f) => f.Width == 0 ? 0 : ((1UL << f.Width) - 1) << f.Shift;

    static void Array(TextWriter w, string type, string name, IEnumerable<ulong> values)
    {
        string suffix = type == "unsigned long long" ? "ULL" : "";
        var text = values.Select(v => v.ToString(CultureInfo.InvariantCulture) + suffix).DefaultIfEmpty("0");
        w.WriteLine($"static const {type} {name}[] = {{ {string.Join(",", text)} }};");
    }

    /// <summary>Writes the yardstick's source and <paramref name="system"/>'s model.h into <paramref name="dir"/> and builds it.</summary>
    public static void Build(string dir, Interleavings system)
    {
        using (var source = typeof(Yardstick).Assembly.GetManifestResourceStream("yardstick.c")
            ?? throw new InvalidOperationException("bench/yardstick.c is not embedded in pagehint"))
        using (var file = File.Create(Path.Combine(dir, "yardstick.c")))
            source.CopyTo(file);
        using (var model = new StreamWriter(Path.Combine(dir, "model.h")))
            WriteModel(model, system);
        SpinRun.Exec(dir, "gcc", [.. GccFlags.Split(' '), "-o", "yardstick", "yardstick.c"]);
    }

    /// <summary>Runs the yardstick built in <paramref name="dir"/> with a visited table of at least twice
    /// <paramref name="expectedStates"/> slots.</summary>
    public static Outcome Run(string dir, long expectedStates)
    {
        int slotBits = Math.Clamp(65 - System.Numerics.BitOperations.LeadingZeroCount((ulong)Math.Max(expectedStates, 1)), 10, 40);
        string text = SpinRun.Exec(dir, Path.Combine(dir, "yardstick"), slotBits.ToString(CultureInfo.InvariantCulture));
        var m = Regex.Match(text, @"states (\d+) transitions (\d+) depth (\d+) seconds ([\d.]+) bytes (\d+)");
        if (!m.Success) throw new UsageException($"the C yardstick printed no counts: {text.Split('\n')[0]}");
        long Number(int g) => long.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        return new Outcome(Number(1), Number(2), (int)Number(3), double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), Number(5));
    }
}
