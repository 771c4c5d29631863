namespace HybridAI.Governance.RateLimiting;

/// <summary>The single-node limiter: the same GCRA as <see cref="RedisRateLimiter"/>, state in memory.</summary>
public sealed class InProcessRateLimiter : IRateLimiter
{
    private readonly Dictionary<string, double> _tats = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _calls;

    public Task<RateDecision> AcquireAsync(IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowMs = (double)now.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            if (++_calls % 10_000 == 0)
            {
                // Buckets whose arrival time is in the past are full again: forgetting them changes nothing.
                foreach (var stale in _tats.Where(p => p.Value <= nowMs).Select(p => p.Key).ToList())
                {
                    _tats.Remove(stale);
                }
            }

            var results = new (double NewTat, bool Allowed, double RetryAfterMs, int Remaining)[buckets.Count];
            var allowed = true;
            double retry = 0;
            for (var i = 0; i < buckets.Count; i++)
            {
                var b = buckets[i];
                results[i] = Gcra.Evaluate(_tats.TryGetValue(b.Key, out var tat) ? tat : null, nowMs, b.LimitPerMinute, b.Cost);
                allowed &= results[i].Allowed;
                retry = Math.Max(retry, results[i].RetryAfterMs);
            }

            if (allowed)
            {
                for (var i = 0; i < buckets.Count; i++)
                {
                    _tats[buckets[i].Key] = results[i].NewTat;
                }
            }

            return Task.FromResult(RateDecisions.From(buckets, results.Select(r => r.Remaining).ToArray(), allowed, retry));
        }
    }
}

internal static class RateDecisions
{
    public static RateDecision From(IReadOnlyList<RateBucket> buckets, int[] remaining, bool allowed, double retryAfterMs)
    {
        int requests = -1, tokens = -1;
        for (var i = 0; i < buckets.Count; i++)
        {
            ref var slot = ref buckets[i].Dimension == RateDimension.Requests ? ref requests : ref tokens;
            slot = slot < 0 ? remaining[i] : Math.Min(slot, remaining[i]);
        }

        return new RateDecision(allowed, allowed ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Ceiling(retryAfterMs)), requests, tokens);
    }
}
