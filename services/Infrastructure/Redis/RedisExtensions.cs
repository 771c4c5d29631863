using HybridAI.Infrastructure.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the shared Redis connection.</summary>
public static class RedisExtensions
{
    public const string ConnectionName = "redis";

    /// <summary>
    /// Registers <see cref="RedisConnection"/> from <c>ConnectionStrings:redis</c> (absent: in-process mode)
    /// and a <c>redis</c> health check.
    /// </summary>
    public static IHostApplicationBuilder AddHybridAIRedis(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => RedisConnection.Connect(
            builder.Configuration.GetConnectionString(ConnectionName),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("HybridAI.Redis")));
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(ConnectionName);
        return builder;
    }
}
