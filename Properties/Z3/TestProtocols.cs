using PageHintVerify.Model;

namespace PageHintVerify.Properties.Z3;

/// <summary>Protocols beside the reference that exercise the other branches of the content rules.</summary>
static class TestProtocols
{
    /// <summary>The reference with every third edge missing: gaps of every kind (no fault-in, no host action, …).</summary>
    public static Protocol Sparse { get; } = new("sparse", Protocol.Reference.Edges.Where((_, i) => i % 3 != 0));

    /// <summary>Like graph 2: an access to a discarded volatile page zero-fills it instead of faulting.</summary>
    public static Protocol ZeroFill { get; } = new("zero-fill",
        Protocol.Reference.Edges.Select(e => e.From == "Vz" && e.Op is Operation.Read or Operation.Write ? e with { To = "Vr" } : e));

    /// <summary>
    /// The reference with a second target where the host or a guest operation may do either: swap-out or a plain drop
    /// of a stable page (Sr -> Sz, which loses data), and set_stable on Uz ending Sz or Vz.
    /// </summary>
    public static Protocol Nondeterministic { get; } = new("nondeterministic", [
        .. Protocol.Reference.Edges,
        new Edge("Sr", Operation.HostReclaim, "Sz"),
        new Edge("Uz", Operation.SetStable, "Vz"),
    ]);
}
