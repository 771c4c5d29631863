using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace HybridAI.Infrastructure.Redis;

/// <summary>
/// The service's Redis connection, or its absence. When no <c>ConnectionStrings:redis</c> is configured
/// (local mode without <c>redis-server</c>), <see cref="Multiplexer"/> is null and callers use their
/// in-process implementation; the choice is logged once at start.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable
{
    private RedisConnection(IConnectionMultiplexer? multiplexer, string? endpoint)
    {
        Multiplexer = multiplexer;
        Endpoint = endpoint;
    }

    public IConnectionMultiplexer? Multiplexer { get; }

    public string? Endpoint { get; }

    public bool IsConfigured => Multiplexer is not null;

    public static RedisConnection None { get; } = new(null, null);

    /// <summary>
    /// Connects without failing when Redis is down at start: the multiplexer keeps retrying in the background,
    /// health reports Degraded, and callers take their documented degraded path until it is back.
    /// </summary>
    public static RedisConnection Connect(string? connectionString, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            logger.LogInformation("Redis is not configured (no ConnectionStrings:redis): using in-process state, valid for a single node only.");
            return None;
        }

        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);

        // While disconnected, fail commands at once instead of holding them in the backlog until their timeout: the
        // callers' degraded paths (cache miss, budget UNAVAILABLE) then apply immediately. With the default backlog a
        // Redis outage added a cache lookup's and a store's timeouts (~10 s) to every request.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        var endpoint = string.Join(",", options.EndPoints.Select(e => e.ToString()));
        var multiplexer = ConnectionMultiplexer.Connect(options);
        logger.LogInformation("Redis configured at {Endpoint} (connected: {Connected}).", endpoint, multiplexer.IsConnected);
        return new RedisConnection(multiplexer, endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        if (Multiplexer is not null)
        {
            await Multiplexer.DisposeAsync();
        }
    }
}
