using PageHintVerify.Model;
using PageHintVerify.PageTable;

namespace PageHintVerify.Properties.Exploration;

/// <summary>The table's decisions, but a write's swap leaves the word unpinned: its data store races the host.</summary>
public sealed class ForgetsTheWritePin : IPageAlgorithm
{
    public void Decisions(Protocol protocol, PageWord loaded, PageOp op, List<CasDecision> into)
    {
        int first = into.Count;
        CasAlgorithm.Instance.Decisions(protocol, loaded, op, into);
        if (op.Op != Operation.Write) return;
        for (int i = first; i < into.Count; i++) into[i] = into[i] with { Desired = into[i].Desired.WithPin(false) };
    }
}

