using PageHintVerify.Model;
using PageHintVerify.Model.Graphs;
using Xunit;

namespace PageHintVerify.Properties.Graphs;

/// <summary>A graph may draw only the valid states of SPEC section 2, and only as many edges as a protocol can use.</summary>
public class GraphVariantTests
{
    [Theory]
    [InlineData("Sp -> Up [label=\"set unused\"]", "Up is not a valid page state (SPEC section 2: set_unused drops the swap copy)")]
    [InlineData("Vp -> Vz [label=\"host discard\"]", "Vp is not a valid page state (SPEC section 2: a volatile page is never preserved)")]
    [InlineData("Pr -> Pp [label=\"host swap\"]", "Pp is not a valid page state (SPEC section 2: a volatile page is never preserved)")]
    [InlineData("Pr -> Pz [label=\"host discard\"]", "Pz is not a valid page state (SPEC section 2: the guest cannot create it, and a discarded P page becomes Vz)")]
    [InlineData("Pz [shape=box]", "Pz is not a valid page state (SPEC section 2: the guest cannot create it, and a discarded P page becomes Vz)")]
    public void AnInvalidStateIsRefusedAtItsLine(string statement, string message)
    {
        var e = Assert.Throws<ModelInputException>(() => GraphVariant.Parse("t", $"digraph {{\n Uz -> Sz [label=\"set stable\"]\n {statement}\n}}", "t.dot"));
        Assert.StartsWith($"t.dot:3: {message}: expected one of Ur, Uz, Sr, Sp, Sz, Vr, Vz, Pr", e.Message);
    }

    [Theory]
    [InlineData("graph1")]
    [InlineData("graph2")]
    public void TheSeedGraphsDrawOnlyValidStates(string graph) =>
        Assert.All(Variants.Resolve(graph).Edges, e => Assert.True(e.From.IsValid && e.To.IsValid, e.ToString()));

    [Fact]
    public void AGraphOfManyConflictingEdgesLoadsWithEveryTarget()
    {
        // 32,000 edges, every one conflicting with others of its pair: the table is built in one pass (it was quadratic).
        var states = GuestHostState.Valid;
        var edges = string.Concat(Enumerable.Range(0, 32_000).Select(i =>
            $" {states[i % 8]} -> {states[i / 8 % 8]} [label=\"{(i % 3 == 0 ? "set stable" : i % 3 == 1 ? "host swap" : "guest access")}\"]\n"));
        var p = GraphVariant.Parse("t", $"digraph {{\n{edges}}}", "t.dot");
        Assert.Equal(8, p.Targets("Sr", Operation.SetStable, dirty: false).Count);
        Assert.Contains(p.Nondeterministic, c => c.State == "Sr" && c.Op == Operation.HostReclaim && c.Edges.Count == 8);
    }
}
