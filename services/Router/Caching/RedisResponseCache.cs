using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HybridAI.Router.Caching;

/// <summary>
/// The cache in Redis, shared by every router replica. Per entry, a hash <c>hai:cache:{tenant}:&lt;class&gt;:&lt;context&gt;:e:&lt;exact&gt;</c>
/// holds the answer (<c>a</c>) and the embedding (<c>v</c>, float32), with the route's TTL. For similarity, each of the
/// embedding's 8 SimHash band signatures names a bucket, a sorted set of entry ids scored by expiry, trimmed to the
/// newest <c>Router:Cache:MaxCandidatesPerBucket</c>. A lookup is one pipelined round trip for the exact entry and the
/// buckets, one for the candidates' embeddings, and one for the best answer. Keys share the tenant's hash tag, so a
/// tenant's entries live in one cluster slot and no key of one tenant can name another's. Redis errors are misses.
/// </summary>
public sealed partial class RedisResponseCache(IConnectionMultiplexer redis, IOptions<RouterOptions> options, TimeProvider clock,
    ILogger<RedisResponseCache> logger) : IResponseCache
{
    public async ValueTask<CacheHit?> LookupAsync(CacheKey key, float[]? embedding, CancellationToken cancellationToken)
    {
        try
        {
            var db = redis.GetDatabase();
            var prefix = Prefix(key);
            var batch = db.CreateBatch();
            var exact = batch.HashGetAsync(prefix + "e:" + key.Exact, "a");
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var buckets = embedding is null
                ? []
                : SimilarityHash.Signatures(embedding).Select((s, band) =>
                    batch.SortedSetRangeByScoreAsync(Bucket(prefix, band, s), now, double.PositiveInfinity, Exclude.Start, Order.Descending)).ToArray();
            batch.Execute();
            if (await exact is { HasValue: true } found)
            {
                return new CacheHit(Deserialize(found), "exact", 1);
            }

            if (embedding is null)
            {
                return null;
            }

            var candidates = (await Task.WhenAll(buckets)).SelectMany(ids => ids).Select(id => (string)id!).Distinct(StringComparer.Ordinal).ToList();
            if (candidates.Count == 0)
            {
                return null;
            }

            var vectors = db.CreateBatch();
            var reads = candidates.Select(id => vectors.HashGetAsync(prefix + "e:" + id, "v")).ToArray();
            vectors.Execute();
            string? best = null;
            double bestScore = options.Value.Cache.SimilarityThreshold;
            for (var i = 0; i < reads.Length; i++)
            {
                if (await reads[i] is { HasValue: true } bytes)
                {
                    var score = SimilarityHash.Dot(MemoryMarshal.Cast<byte, float>(((byte[])bytes!).AsSpan()), embedding);
                    if (score >= bestScore)
                    {
                        best = candidates[i];
                        bestScore = score;
                    }
                }
            }

            if (best is null || await db.HashGetAsync(prefix + "e:" + best, "a") is not { HasValue: true } answer)
            {
                return null;
            }

            return new CacheHit(Deserialize(answer), "semantic", bestScore);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or JsonException)
        {
            LogFailed(logger, "lookup", e.Message);
            return null;
        }
    }

    public async ValueTask StoreAsync(CacheKey key, float[]? embedding, CachedAnswer answer, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            var db = redis.GetDatabase();
            var prefix = Prefix(key);
            var entry = prefix + "e:" + key.Exact;
            var fields = new List<HashEntry> { new("a", JsonSerializer.SerializeToUtf8Bytes(answer, CacheJson.Default.CachedAnswer)) };
            if (embedding is not null)
            {
                fields.Add(new HashEntry("v", MemoryMarshal.AsBytes(embedding.AsSpan()).ToArray()));
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var expiry = now + (long)ttl.TotalMilliseconds;
            var keep = options.Value.Cache.MaxCandidatesPerBucket;
            var batch = db.CreateBatch();
            var writes = new List<Task> { batch.HashSetAsync(entry, [.. fields]), batch.KeyExpireAsync(entry, ttl) };
            if (embedding is not null)
            {
                var signatures = SimilarityHash.Signatures(embedding);
                for (var band = 0; band < signatures.Length; band++)
                {
                    var bucket = Bucket(prefix, band, signatures[band]);
                    writes.Add(batch.SortedSetAddAsync(bucket, key.Exact, expiry));
                    writes.Add(batch.SortedSetRemoveRangeByScoreAsync(bucket, double.NegativeInfinity, now));
                    writes.Add(batch.SortedSetRemoveRangeByRankAsync(bucket, 0, -(keep + 1)));
                    writes.Add(batch.KeyExpireAsync(bucket, ttl, ExpireWhen.HasNoExpiry));
                    writes.Add(batch.KeyExpireAsync(bucket, ttl, ExpireWhen.GreaterThanCurrentExpiry));
                }
            }

            batch.Execute();
            await Task.WhenAll(writes);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogFailed(logger, "store", e.Message);
        }
    }

    // The tenant in braces is the hash tag: all of a tenant's keys map to one slot.
    private static string Prefix(CacheKey key) => $"hai:cache:{{{key.Tenant}}}:{(int)key.DataClass}:{key.Context}:";

    private static string Bucket(string prefix, int band, byte signature) => $"{prefix}b:{band}:{signature:x2}";

    private static CachedAnswer Deserialize(RedisValue value) =>
        JsonSerializer.Deserialize((byte[])value!, CacheJson.Default.CachedAnswer) ?? throw new JsonException("empty cache entry");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cache {Operation} failed ({Error}); treated as a miss")]
    private static partial void LogFailed(ILogger logger, string operation, string error);
}
