using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Execution;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Shadow;

/// <summary>
/// One served answer chosen for shadow evaluation: the original conversation, the answer the user got, where it came
/// from, the LLM chain that re-runs it and the judge that scores it (null: exact match), and the budget reserved for both.
/// Held in memory only, for as long as the evaluation runs.
/// </summary>
public sealed record ShadowSample(
    ChatCall Call,
    TenantPolicy Tenant,
    string Tier,
    string Intent,
    string ServedAnswer,
    TargetChain Chain,
    CatalogueModel? Judge,
    bool Redact,
    DateOnly Day,
    long ReservedMicros)
{
    public string TenantId => Call.Caller.TenantId;

    public string RequestId => Call.Caller.RequestId;
}
