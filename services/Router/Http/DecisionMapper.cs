using System.Text;
using HybridAI.Contracts;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Policy;

namespace HybridAI.Router.Http;

/// <summary>The decision as the HTTP API shows it: the <c>hybridai</c> object and the <c>x-hybridai-*</c> headers.</summary>
public static class DecisionMapper
{
    public static string RouteName(Contracts.Common.V1.Route route) => route switch
    {
        Contracts.Common.V1.Route.Slm => "slm",
        Contracts.Common.V1.Route.Llm => "llm",
        Contracts.Common.V1.Route.Cache => "cache",
        _ => "blocked",
    };

    public static string Reason(RoutingDecision decision) => decision.Reasons.Count > 0 ? decision.Reasons[^1] : decision.Rule;

    public static HybridAiDecisionDto ToDto(RoutingDecision decision, string requestId, IEnumerable<Citation>? citations = null)
    {
        var cited = citations?.Select(c => new CitationDto
        {
            Collection = c.Collection,
            DocumentId = c.DocumentId,
            ChunkId = c.ChunkId.Length > 0 ? c.ChunkId : null,
            Start = c.End > 0 ? c.Start : null,
            End = c.End > 0 ? c.End : null,
            Score = c.Score,
        }).ToList();
        return new HybridAiDecisionDto
        {
            Route = RouteName(decision.Route),
            Model = decision.Model,
            Reason = Reason(decision),
            Reasons = [.. decision.Reasons],
            Rule = decision.Rule,
            Answer = decision.Answer,
            Actions = decision.Actions.Count > 0 ? [.. decision.Actions] : null,
            Targets = decision.AllowedTargets.Count > 0 ? [.. decision.AllowedTargets] : null,
            CostUsd = decision.CostMicros / 1_000_000m,
            BaselineCostUsd = decision.BaselineCostMicros / 1_000_000m,
            DataClass = DataClasses.Name(decision.DataClass),
            RequestId = requestId,
            Cascaded = decision.Cascaded,
            Fallback = decision.Fallback,
            Redacted = decision.Redacted,
            CacheHit = decision.CacheHit,
            BlockCode = decision.BlockCode.Length > 0 ? decision.BlockCode : null,
            Citations = cited is { Count: > 0 } ? cited : null,
        };
    }

    /// <summary>Route, model, reason and data class (and cost, unless it is not known yet: streams send it as a trailer).</summary>
    public static void ApplyHeaders(HttpResponse response, RoutingDecision decision, bool withCost)
    {
        var headers = response.Headers;
        headers[HybridAIHeaders.Route] = RouteName(decision.Route);
        headers[HybridAIHeaders.Model] = HeaderValue(decision.Model);
        headers[HybridAIHeaders.Reason] = HeaderValue(Reason(decision));
        headers[HybridAIHeaders.DataClass] = DataClasses.Name(decision.DataClass);
        if (withCost)
        {
            headers[HybridAIHeaders.CostUsd] = CostText(decision.CostMicros);
        }
    }

    public static string CostText(long micros) => (micros / 1_000_000m).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Header values must be printable ASCII: other characters become '?', and long reasons are cut.</summary>
    public static string HeaderValue(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, 300));
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, 300)))
        {
            builder.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return builder.ToString();
    }

    public static SignalsDto ToDto(Contracts.Common.V1.Signals signals) => new()
    {
        PromptTokens = signals.PromptTokens,
        Intent = signals.Intent,
        IntentConfidence = signals.IntentConfidence,
        NeedsLlmProbability = signals.NeedsLlmProbability,
        GuardScore = signals.GuardScore,
        DataClass = DataClasses.Name(signals.DataClass),
        PiiFindings = [.. signals.PiiFindings.Select(f => new FindingDto
        {
            Type = f.Type,
            Start = f.Start,
            End = f.End,
            Score = f.Score,
            MessageIndex = f.MessageIndex,
            Placeholder = f.Placeholder.Length > 0 ? f.Placeholder : null,
        })],
        ClassificationTruncated = signals.ClassificationTruncated,
        FaqScore = signals.HasFaqScore ? signals.FaqScore : null,
        ModelVersions = signals.ModelVersions.Count > 0 ? new Dictionary<string, string>(signals.ModelVersions) : null,
    };
}
