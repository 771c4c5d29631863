using System.ComponentModel.DataAnnotations;

namespace HybridAI.LlmProxy;

/// <summary>
/// Per-target resilience (section <c>LlmProxy:Resilience</c>). Timeouts are per attempt; the caller's gRPC deadline
/// bounds the whole fallback chain.
/// </summary>
public sealed class ResilienceOptions
{
    /// <summary>Streams: the time from sending the request to the first token. A miss moves on invisibly.</summary>
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt end to end (a unary call, or a whole stream).</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Retries on the same target (429, 408, 5xx, timeouts, connection errors) before falling back.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff; doubles per retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>A Retry-After longer than this is not waited for: the next target is tried instead.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    internal IEnumerable<(string Key, string Message)> Validate(string key)
    {
        foreach (var problem in ValidateTimeouts(key, FirstTokenTimeout, TotalTimeout))
        {
            yield return problem;
        }

        if (RetryBaseDelay <= TimeSpan.Zero || RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            yield return ($"{key}:{nameof(RetryBaseDelay)}", $"must be between 00:00:00.001 and 00:01:00, but is {RetryBaseDelay}.");
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return ($"{key}:{nameof(RetryMaxDelay)}", $"({RetryMaxDelay}) is shorter than RetryBaseDelay ({RetryBaseDelay}).");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            yield return ($"{key}:{nameof(MaxRetryAfter)}", $"must not be negative, but is {MaxRetryAfter}.");
        }

        var cb = CircuitBreaker;
        var cbKey = $"{key}:{nameof(CircuitBreaker)}";
        if (cb.SamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return ($"{cbKey}:{nameof(cb.SamplingDuration)}", $"must be at least 00:00:00.5, but is {cb.SamplingDuration}.");
        }

        if (cb.BreakDuration < TimeSpan.FromMilliseconds(500))
        {
            yield return ($"{cbKey}:{nameof(cb.BreakDuration)}", $"must be at least 00:00:00.5, but is {cb.BreakDuration}.");
        }
    }

    internal static IEnumerable<(string Key, string Message)> ValidateTimeouts(string key, TimeSpan? firstToken, TimeSpan? total)
    {
        if (firstToken is { } f && f <= TimeSpan.Zero)
        {
            yield return ($"{key}:{nameof(FirstTokenTimeout)}", $"must be positive, but is {f}.");
        }

        if (total is { } t && t <= TimeSpan.Zero)
        {
            yield return ($"{key}:{nameof(TotalTimeout)}", $"must be positive, but is {t}.");
        }

        if (firstToken is { } ff && total is { } tt && ff > tt)
        {
            yield return ($"{key}:{nameof(FirstTokenTimeout)}", $"({ff}) exceeds TotalTimeout ({tt}).");
        }
    }
}

/// <summary>One breaker per target: opens when the failure ratio over the sampling window reaches the threshold.</summary>
public sealed class CircuitBreakerOptions
{
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 5;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
