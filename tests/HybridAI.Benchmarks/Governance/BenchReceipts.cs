using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Benchmarks.Governance;

/// <summary>Receipts shaped like the router's: signals, a decision with reasons, usage, a redaction and two steps.</summary>
internal static class BenchReceipts
{
    public static List<RoutingReceipt> Make(int count, string tenant, int offset = 0)
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var list = new List<RoutingReceipt>(count);
        for (var n = offset; n < offset + count; n++)
        {
            var llm = n % 4 == 0;
            var receipt = new RoutingReceipt
            {
                Context = new RequestContext { TenantId = tenant, RequestId = $"req-{n:D9}", ApiKeyId = "key_bench0000000001" },
                Time = Timestamp.FromDateTimeOffset(start.AddMilliseconds(n * 50L)),
                Signals = new Signals { PromptTokens = 180 + (n % 300), Intent = llm ? "analysis" : "faq", IntentConfidence = 0.91, NeedsLlmProbability = llm ? 0.8 : 0.1, DataClass = DataClass.Internal },
                Decision = new RoutingDecision
                {
                    Route = llm ? Route.Llm : Route.Slm,
                    Model = llm ? "gpt-4o-mini" : "slm-faq",
                    Rule = llm ? "complex-to-llm" : "faq-to-slm",
                    DataClass = DataClass.Internal,
                    CostMicros = llm ? 450 : 0,
                    BaselineCostMicros = 450,
                },
                Usage = new TokenUsage { PromptTokens = 180 + (n % 300), CompletionTokens = 120 },
                LatencyMs = llm ? 900 + (n % 400) : 25 + (n % 30),
                Outcome = "ok",
            };
            receipt.Signals.ModelVersions.Add("encoder", "sha256:1f0c");
            receipt.Signals.ModelVersions.Add("intent-head", "sha256:9a2e");
            receipt.Signals.PiiFindings.Add(new PiiFinding { Type = "EMAIL", Start = 10, End = 31, Score = 0.98, Placeholder = "<EMAIL_1>" });
            receipt.Decision.Reasons.Add(llm ? "needs-LLM probability 0.80 above 0.60" : "intent faq with confidence 0.91");
            receipt.Redactions.Add("EMAIL");
            receipt.Steps.Add(new ReceiptStep { Kind = "cache", Name = "semantic", Outcome = "miss", LatencyMs = 2 });
            receipt.Steps.Add(new ReceiptStep { Kind = llm ? "llm" : "slm", Name = receipt.Decision.Model, Outcome = "ok", LatencyMs = receipt.LatencyMs - 2 });
            list.Add(receipt);
        }

        return list;
    }
}
