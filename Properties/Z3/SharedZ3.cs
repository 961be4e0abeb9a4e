using PageHintVerify.Checker.Z3;

namespace PageHintVerify.Properties.Z3;

/// <summary>One Z3 session for the whole test run: loading Z3 happens once per process anyway. Tests that need Z3 fail
/// (never skip) when it cannot be loaded.</summary>
static class SharedZ3
{
    static readonly Lazy<Z3Session> Lazy = new(() => new Z3Session());
    public static Z3Session Session => Lazy.Value;
}
