using PageHintVerify.Model;

namespace PageHintVerify.Checker.Cli;

/// <summary>Turns a --variant value into a protocol.</summary>
public static class VariantOption
{
    public static Protocol Resolve(string variant) => variant switch
    {
        "reference" => Protocol.Reference,
        _ => throw new UsageException($"unknown variant '{variant}'"),
    };
}
