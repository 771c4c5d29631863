using System.Diagnostics;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Caching;

using HybridAI.Router.Tools;

namespace HybridAI.Router.Pipeline;

public sealed partial class RoutingPipeline
{
    /// <summary>
    /// The request's cache identity, or null when it may not be cached: the cache is off, the request has tools, or
    /// its data is above internal (nothing confidential or restricted is ever cached).
    /// </summary>
    private CacheKey? CacheKeyFor(RoutedRequest request)
    {
        if (!options.Value.Cache.Enabled || request.Call.HasTools || request.Call.Request.ToolMode == ToolLoop.Auto || request.DataClass > DataClass.Internal)
        {
            return null;
        }

        return CacheKeys.For(request.Call, request.DataClass);
    }

    /// <summary>Similarity matching only for requests without findings: an answer may depend on the values a placeholder hides.</summary>
    private float[]? SemanticEmbedding(RoutedRequest request) =>
        options.Value.Cache.Semantic && request.Signals is { HasFindings: false, Embedding: { } embedding } ? embedding : null;

    private async Task<CachedAnswer?> LookupCacheAsync(RoutedRequest request, CacheKey key, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var hit = await cache.LookupAsync(key, SemanticEmbedding(request), cancellationToken);
        request.Step("cache", hit?.Kind ?? "lookup", hit is null ? "miss" : "hit", Stopwatch.GetElapsedTime(started),
            hit is null ? "" : $"similarity {hit.Similarity:0.####}");
        if (hit is null)
        {
            return null;
        }

        var answer = hit.Answer;
        telemetry.CacheHit(request.Caller.TenantId, hit.Kind);
        request.CacheHit = true;
        request.Route = "cache";
        request.Answer = "cache";
        request.Model = answer.Model;
        request.Chain = Execution.TargetChain.Empty;
        request.Usage = new TokenUsage { PromptTokens = request.Signals!.PromptTokens, CompletionTokens = answer.CompletionTokens, Estimated = true };
        request.ExecutionReasons.Add(hit.Kind == "exact"
            ? $"answered from the cache (exact match, first served by {answer.Model})"
            : $"answered from the cache (similarity {hit.Similarity:0.###}, first served by {answer.Model})");
        foreach (var c in answer.Citations)
        {
            request.Citations.Add(new Contracts.Router.V1.Citation { Collection = c.Collection, DocumentId = c.DocumentId, ChunkId = c.ChunkId, Score = c.Score });
        }

        return answer;
    }

    /// <summary>Stores a finished answer when it may be cached: text only, a natural stop, data internal or below.</summary>
    private async Task StoreCacheAsync(RoutedRequest request, CacheKey? key, string text, string finishReason, bool toolCalls,
        CancellationToken cancellationToken)
    {
        var o = options.Value.Cache;
        if (key is null || toolCalls || finishReason != "stop" || text.Length == 0 || text.Length > o.MaxAnswerChars
            || request.DataClass > DataClass.Internal || request.Route is not ("slm" or "llm"))
        {
            return;
        }

        // The class may have risen since the lookup (retrieved chunks): store in the partition of the class it has now.
        var storeKey = key.DataClass == request.DataClass ? key : key with { DataClass = request.DataClass };
        var answer = new CachedAnswer(text, finishReason, request.Model, request.Route, request.Answer, request.Usage.PromptTokens,
            request.Usage.CompletionTokens, [.. request.Citations.Select(c => new CachedCitation(c.Collection, c.DocumentId, c.ChunkId, c.Score))],
            clock.GetUtcNow());
        await cache.StoreAsync(storeKey, SemanticEmbedding(request), answer, request.Route == "slm" ? o.SlmTtl : o.LlmTtl, cancellationToken);
    }
}
