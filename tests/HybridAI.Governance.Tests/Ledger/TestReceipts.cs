using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Tests.Ledger;

/// <summary>Receipts as a router would send them.</summary>
internal static class TestReceipts
{
    public static readonly DateTimeOffset Start = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    public static RoutingReceipt Make(string tenant, string requestId, Route route = Route.Slm, string model = "slm-intent",
        long cost = 0, long baseline = 1_000, long latencyMs = 20, bool cascaded = false, bool cacheHit = false, DateTimeOffset? time = null)
    {
        var receipt = new RoutingReceipt
        {
            Context = new RequestContext { TenantId = tenant, RequestId = requestId, ApiKeyId = "key_test" },
            Time = Timestamp.FromDateTimeOffset(time ?? Start),
            Signals = new Signals { PromptTokens = 42, Intent = "faq", IntentConfidence = 0.93, DataClass = DataClass.Confidential },
            Decision = new RoutingDecision
            {
                Route = route,
                Model = model,
                Rule = "faq-to-slm",
                DataClass = DataClass.Confidential,
                Cascaded = cascaded,
                CacheHit = cacheHit,
                CostMicros = cost,
                BaselineCostMicros = baseline,
            },
            Usage = new TokenUsage { PromptTokens = 42, CompletionTokens = 10 },
            LatencyMs = latencyMs,
            Outcome = "ok",
        };
        receipt.Signals.PiiFindings.Add(new PiiFinding { Type = "EMAIL", Start = 3, End = 20, Score = 0.99, Placeholder = "<EMAIL_1>" });
        receipt.Signals.ModelVersions.Add("encoder", "sha256:aa");
        receipt.Signals.ModelVersions.Add("intent-head", "sha256:bb");
        receipt.Decision.Reasons.Add("intent faq with confidence 0.93");
        receipt.Redactions.Add("EMAIL");
        return receipt;
    }
}
