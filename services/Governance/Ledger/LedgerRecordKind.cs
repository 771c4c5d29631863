namespace HybridAI.Governance.Ledger;

/// <summary>What a ledger record holds.</summary>
public enum LedgerRecordKind
{
    Receipt = 1,
    PolicyChange = 2,
    ToolServerChange = 3,
}
