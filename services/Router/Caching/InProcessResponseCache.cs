using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Caching;

/// <summary>
/// The cache without Redis (local mode, one node): partitions in memory, exact lookup by hash, similarity by scanning the
/// partition's embeddings (a dot product each, SIMD). At most <c>Router:Cache:MaxEntries</c> entries in all; the oldest go
/// first, and expired entries are skipped and dropped as they are met.
/// </summary>
public sealed class InProcessResponseCache(IOptions<RouterOptions> options, TimeProvider clock) : IResponseCache
{
    private readonly ConcurrentDictionary<string, Partition> _partitions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Partition, string Exact)> _order = new();
    private int _count;

    public ValueTask<CacheHit?> LookupAsync(CacheKey key, float[]? embedding, CancellationToken cancellationToken)
    {
        if (!_partitions.TryGetValue(key.Partition, out var partition))
        {
            return ValueTask.FromResult<CacheHit?>(null);
        }

        var now = clock.GetUtcNow();
        lock (partition)
        {
            if (partition.Entries.TryGetValue(key.Exact, out var exact) && exact.ExpiresAt > now)
            {
                return ValueTask.FromResult<CacheHit?>(new CacheHit(exact.Answer, "exact", 1));
            }

            if (embedding is null)
            {
                return ValueTask.FromResult<CacheHit?>(null);
            }

            Entry? best = null;
            var bestScore = options.Value.Cache.SimilarityThreshold;
            foreach (var entry in partition.Entries.Values)
            {
                if (entry.Embedding is null || entry.ExpiresAt <= now)
                {
                    continue;
                }

                var score = SimilarityHash.Dot(entry.Embedding, embedding);
                if (score >= bestScore)
                {
                    best = entry;
                    bestScore = score;
                }
            }

            return ValueTask.FromResult(best is null ? null : new CacheHit(best.Answer, "semantic", bestScore));
        }
    }

    public ValueTask StoreAsync(CacheKey key, float[]? embedding, CachedAnswer answer, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var partition = _partitions.GetOrAdd(key.Partition, static _ => new Partition());
        bool added;
        lock (partition)
        {
            added = !partition.Entries.ContainsKey(key.Exact);
            partition.Entries[key.Exact] = new Entry(answer, embedding, clock.GetUtcNow() + ttl);
        }

        if (added)
        {
            _order.Enqueue((key.Partition, key.Exact));
            if (Interlocked.Increment(ref _count) > options.Value.Cache.MaxEntries)
            {
                EvictOldest();
            }
        }

        return ValueTask.CompletedTask;
    }

    private void EvictOldest()
    {
        while (Volatile.Read(ref _count) > options.Value.Cache.MaxEntries && _order.TryDequeue(out var oldest))
        {
            if (_partitions.TryGetValue(oldest.Partition, out var partition))
            {
                lock (partition)
                {
                    if (partition.Entries.Remove(oldest.Exact))
                    {
                        Interlocked.Decrement(ref _count);
                    }

                    if (partition.Entries.Count == 0)
                    {
                        _partitions.TryRemove(KeyValuePair.Create(oldest.Partition, partition));
                    }
                }
            }
        }
    }

    private sealed class Partition
    {
        public Dictionary<string, Entry> Entries { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Entry(CachedAnswer Answer, float[]? Embedding, DateTimeOffset ExpiresAt);
}
