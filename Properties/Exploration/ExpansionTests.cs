using System.Text.Json;
using PageHintVerify.Engine;
using PageHintVerify.Checker.Exploration;
using Xunit;

using Successor = PageHintVerify.Engine.Transition<PageHintVerify.Checker.Exploration.Step>;

namespace PageHintVerify.Properties.Exploration;

/// <summary>
/// The memoized expansion (with repeated effects stored once and twin actors skipped) finds exactly the successors, the
/// violations and the step count of the step-by-step model, on every state of the first levels of a search.
/// </summary>
public class ExpansionTests
{
    public static TheoryData<string> Configs => new()
    {
        "{\"pages\": 2, \"program\": \"any\"}",                                           // twin vCPUs, atomic
        "{\"pages\": 2, \"program\": \"any\", \"granularity\": \"cas\", \"hostThreads\": 2}", // twins whose steps change their local state
        "{\"pages\": 2, \"vcpus\": 1, \"granularity\": \"naive\", \"hostThreads\": 2}",     // twin hosts
        "{\"pages\": 4, \"vcpus\": 2, \"granularity\": \"cas\"}",                          // page-cache vCPUs on different pages: no twins
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void ExpandFindsWhatTheStepByStepSuccessorsFind(string json)
    {
        var config = Configuration.FromJson(JsonDocument.Parse(json).RootElement, "expansion test");
        var system = new Interleavings(config, Model.Variants.Resolve(config.Variant));

        var seen = new HashSet<PackedState> { system.Initial };
        var queue = new Queue<PackedState>([system.Initial]);
        var successors = new List<Successor>();
        var expansion = new Expansion();
        int checkedStates = 0;
        while (queue.Count > 0 && checkedStates < 3000)
        {
            var s = queue.Dequeue();
            checkedStates++;
            successors.Clear();
            system.Successors(s, successors);
            system.Expand(s, expansion);

            Assert.Equal(successors.Count, expansion.Steps);
            var slow = successors.Where(x => x.State != s).Select(x => x.State).ToHashSet();
            var fast = Enumerable.Range(0, expansion.Count).Select(k => expansion.States[k]).Where(x => x != s).ToHashSet();
            Assert.Equal(slow.OrderBy(x => x.ToString()), fast.OrderBy(x => x.ToString()));
            // Each invariant a step breaks is reported by the expansion at the first step that breaks it.
            for (int inv = 0; inv < 8; inv++)
            {
                int bit = 1 << inv;
                int first = successors.FindIndex(x => ((x.Violations | PageViolations(system, x.State, x.Step.Page)) & bit) != 0
                                                      && (x.State != s || x.Violations != 0));
                int fastFirst = Enumerable.Range(0, expansion.Count).Where(k => (expansion.Violations[k] & bit) != 0).Select(k => expansion.Ordinals[k]).DefaultIfEmpty(-1).Min();
                Assert.Equal(first, fastFirst);
            }
            foreach (var x in successors)
                if (seen.Add(x.State)) queue.Enqueue(x.State);
        }
        Assert.Equal(3000, checkedStates);
    }

    /// <summary>The state invariants page <paramref name="page"/> of <paramref name="s"/> violates (the initial pages violate none).</summary>
    static int PageViolations(Interleavings system, PackedState s, int page) =>
        system.StateViolations(system.PageBlock(page).Set(system.Initial, system.PageBlock(page).Get(s)));
}
