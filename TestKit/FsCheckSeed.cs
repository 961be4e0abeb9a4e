using FsCheck;
using Microsoft.FSharp.Core;

namespace PageHintVerify.TestKit;

/// <summary>
/// Runs an FsCheck property from a seed it can name: <c>PAGEHINT_FSCHECK_SEED=&lt;seed&gt;</c> replays that seed, and
/// without it a fresh seed is drawn; a failure says which seed to set.
/// </summary>
public static class FsCheckSeed
{
    public const string Variable = "PAGEHINT_FSCHECK_SEED";

    /// <summary>The seed this run uses: the variable's, else a fresh one.</summary>
    public static ulong Current()
    {
        string? text = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(text)) return (ulong)System.Random.Shared.NextInt64();
        return ulong.TryParse(text.Trim(), out ulong seed) ? seed
            : throw new Xunit.Sdk.XunitException($"{Variable}='{text}' is not a seed (a whole number such as 12345)");
    }

    /// <summary>Checks <paramref name="property"/> on <paramref name="cases"/> cases from <see cref="Current"/>.</summary>
    public static void Check(Property property, int cases)
    {
        ulong seed = Current();
        var replay = FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None));
        try { property.Check(Config.QuickThrowOnFailure.WithMaxTest(cases).WithReplay(replay)); }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\nTo replay this run, set {Variable}={seed}", e);
        }
    }
}
