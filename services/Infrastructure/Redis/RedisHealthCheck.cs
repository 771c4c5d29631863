using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HybridAI.Infrastructure.Redis;

/// <summary>
/// Healthy when Redis answers PING, or when Redis is not configured (in-process mode). Degraded, not
/// Unhealthy, when it is configured but unreachable: the service still serves on its degraded path.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (connection.Multiplexer is not { } multiplexer)
        {
            return HealthCheckResult.Healthy("in-process (Redis not configured)");
        }

        try
        {
            var latency = await multiplexer.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"PING {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded("Redis unreachable; serving on the in-process degraded path", e);
        }
    }
}
