using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.Edge;

/// <summary>edge settings (section <c>Edge</c>).</summary>
public sealed class EdgeOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "Edge";

    /// <summary>Largest request body accepted, in bytes (413 beyond it).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Origins allowed to call the API from a browser; empty: CORS is off (no CORS headers at all).</summary>
    public List<string> AllowedCorsOrigins { get; set; } = [];

    /// <summary>
    /// The admin key <c>/admin/*</c> requires (the same value governance holds). Empty: the edge refuses every
    /// <c>/admin</c> request, so the admin API is not reachable from outside.
    /// </summary>
    public string AdminApiKey { get; set; } = "";

    /// <summary>
    /// What happens when governance cannot answer a rate-limit check: true lets the request through (logged and
    /// counted; budgets are still enforced by the router), false refuses it with 503.
    /// </summary>
    public bool RateLimitFailOpen { get; set; } = true;

    /// <summary>Send <c>Strict-Transport-Security</c> on HTTPS responses outside Development.</summary>
    public bool Hsts { get; set; } = true;

    /// <summary>Connection-level limits applied by Kestrel.</summary>
    public EdgeLimits Limits { get; set; } = new();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        for (var i = 0; i < AllowedCorsOrigins.Count; i++)
        {
            if (!Uri.TryCreate(AllowedCorsOrigins[i], UriKind.Absolute, out var origin) || origin.AbsolutePath != "/")
            {
                yield return ($"{nameof(AllowedCorsOrigins)}:{i}", $"must be an origin such as https://app.example.com, but is '{AllowedCorsOrigins[i]}'.");
            }
        }

        if (AdminApiKey.Length is > 0 and < 16)
        {
            yield return (nameof(AdminApiKey), "must be empty (admin API closed) or at least 16 characters.");
        }

        foreach (var (key, message) in Limits.Validate())
        {
            yield return ($"{nameof(Limits)}:{key}", message);
        }
    }
}

/// <summary>Kestrel limits of the edge's listeners (section <c>Edge:Limits</c>).</summary>
public sealed class EdgeLimits
{
    /// <summary>Open connections at once; more are refused at accept time.</summary>
    [Range(1, 1_000_000)]
    public long MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>Total size of the request line and headers (431 beyond it).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersTotalBytes { get; set; } = 32 * 1024;

    [Range(1, 1000)]
    public int MaxRequestHeaderCount { get; set; } = 100;

    /// <summary>How long a client may take to send its headers (slowloris on headers).</summary>
    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Slowest body upload accepted, after <see cref="MinRequestBodyGracePeriod"/> (slowloris on bodies).</summary>
    [Range(1, 1024 * 1024)]
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    public TimeSpan MinRequestBodyGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle keep-alive connections are closed after this time.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    /// <summary>Concurrent HTTP/2 streams (requests) on one connection.</summary>
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;

    internal IEnumerable<(string Key, string Message)> Validate()
    {
        if (RequestHeadersTimeout <= TimeSpan.Zero)
        {
            yield return (nameof(RequestHeadersTimeout), "must be a positive duration.");
        }

        // Kestrel checks body rates once a second, so a shorter grace period could never be honoured.
        if (MinRequestBodyGracePeriod <= TimeSpan.FromSeconds(1))
        {
            yield return (nameof(MinRequestBodyGracePeriod), "must be longer than one second.");
        }

        if (KeepAliveTimeout <= TimeSpan.Zero)
        {
            yield return (nameof(KeepAliveTimeout), "must be a positive duration.");
        }
    }
}
