using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Caching;

/// <summary>
/// Cached answers, partitioned by tenant, data class and conversation context (everything but the last user message):
/// an exact match on the whole request first, then, when an embedding is given, the most similar last user message in
/// the partition at or above <c>Router:Cache:SimilarityThreshold</c>. Implementations never fail a request: a cache
/// that cannot answer is a miss.
/// </summary>
public interface IResponseCache
{
    ValueTask<CacheHit?> LookupAsync(CacheKey key, float[]? embedding, CancellationToken cancellationToken);

    ValueTask StoreAsync(CacheKey key, float[]? embedding, CachedAnswer answer, TimeSpan ttl, CancellationToken cancellationToken);
}

/// <summary>Where an entry lives: its partition and, within it, the exact request's identity (both hashes).</summary>
public sealed record CacheKey(string Tenant, DataClass DataClass, string Context, string Exact)
{
    public string Partition => $"{Tenant}:{(int)DataClass}:{Context}";
}

/// <summary>A stored answer and the facts a hit reports.</summary>
public sealed record CachedAnswer(
    string Text, string FinishReason, string Model, string Route, string Answer, int PromptTokens, int CompletionTokens,
    IReadOnlyList<CachedCitation> Citations, DateTimeOffset CreatedAt);

public sealed record CachedCitation(string Collection, string DocumentId, string ChunkId, double Score);

/// <summary>A hit: the answer, and whether it matched exactly or by similarity (with the cosine).</summary>
public sealed record CacheHit(CachedAnswer Answer, string Kind, double Similarity);
