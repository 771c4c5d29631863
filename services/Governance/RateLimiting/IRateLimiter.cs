namespace HybridAI.Governance.RateLimiting;

/// <summary>
/// Per-minute limits as a generic cell rate algorithm (GCRA): each bucket keeps one "theoretical arrival time";
/// a limit of L per minute admits a burst of up to L and then one unit every 60/L seconds. All buckets of one call
/// are checked together and charged only if every one admits, so a request refused for tokens spends no request
/// allowance. Redis (shared by replicas) and in-process implementations honour this one contract.
/// </summary>
public interface IRateLimiter
{
    Task<RateDecision> AcquireAsync(IReadOnlyList<RateBucket> buckets, DateTimeOffset now, CancellationToken cancellationToken);
}

public enum RateDimension
{
    Requests,
    Tokens,
}

/// <summary>One limit to charge: <paramref name="Key"/> names the bucket (tenant or key, and dimension).</summary>
public sealed record RateBucket(string Key, RateDimension Dimension, int LimitPerMinute, int Cost);

/// <summary>
/// The answer. <see cref="RetryAfter"/> is when the same call would be admitted (zero when allowed). Remaining
/// counts are the smallest over the buckets of each dimension, or -1 when that dimension is unlimited.
/// </summary>
public sealed record RateDecision(bool Allowed, TimeSpan RetryAfter, int RemainingRequests, int RemainingTokens);

/// <summary>The GCRA arithmetic both implementations share (times in milliseconds).</summary>
public static class Gcra
{
    public const double WindowMs = 60_000;

    public static double Interval(int limitPerMinute) => WindowMs / limitPerMinute;

    /// <summary>
    /// Given the stored arrival time (or null), returns the new one, whether the cost is admitted, the wait until it
    /// would be, and what remains after it.
    /// </summary>
    public static (double NewTat, bool Allowed, double RetryAfterMs, int Remaining) Evaluate(double? storedTat, double now, int limit, int cost)
    {
        var interval = Interval(limit);
        var tat = Math.Max(storedTat ?? now, now);
        var newTat = tat + (cost * interval);
        var excess = newTat - now - WindowMs;
        if (excess > 0)
        {
            var remainingNow = (int)Math.Floor((WindowMs - (tat - now)) / interval);
            return (tat, false, excess, Math.Max(0, remainingNow));
        }

        return (newTat, true, 0, (int)Math.Floor((WindowMs - (newTat - now)) / interval));
    }
}
