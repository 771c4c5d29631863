using System.Globalization;
using HybridAI.Infrastructure.Redis;
using StackExchange.Redis;

namespace HybridAI.Governance.Policies;

/// <summary>Tells other governance replicas that a tenant's policy changed.</summary>
public interface IPolicyChangeNotifier
{
    Task PublishAsync(string tenantId, int version);
}

/// <summary>
/// Redis pub/sub on <c>hybridai:governance:policy</c> (message <c>tenant version</c>); without Redis there is one
/// replica and nothing to tell. A lost message is caught by the periodic refresh.
/// </summary>
public sealed class PolicyChangeNotifier(RedisConnection redis, ILogger<PolicyChangeNotifier> logger) : IPolicyChangeNotifier
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("hybridai:governance:policy");

    public async Task PublishAsync(string tenantId, int version)
    {
        if (redis.Multiplexer is not { } multiplexer)
        {
            return;
        }

        try
        {
            await multiplexer.GetSubscriber().PublishAsync(Channel, $"{tenantId} {version.ToString(CultureInfo.InvariantCulture)}");
        }
        catch (RedisException e)
        {
            // The change is committed; other replicas pick it up at their next refresh.
            logger.LogWarning(e, "Could not announce version {Version} of tenant {Tenant}'s policy; replicas see it at their next refresh.", version, tenantId);
        }
    }
}

/// <summary>Keeps this replica's policy cache current: listens for change notices and refreshes periodically.</summary>
public sealed class PolicyRefresher(
    PolicyService policies, RedisConnection redis, Microsoft.Extensions.Options.IOptions<GovernanceOptions> options, TimeProvider clock,
    ILogger<PolicyRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = await TrySubscribeAsync();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PolicyRefreshSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await policies.RefreshAsync(stoppingToken);
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                logger.LogWarning(e, "Policy refresh failed; retrying in {Seconds} s.", options.Value.PolicyRefreshSeconds);
            }

            subscribed = subscribed || await TrySubscribeAsync();
        }
    }

    /// <summary>Subscribes to change notices (true when done or when there is no Redis); retried each refresh until it succeeds.</summary>
    private async Task<bool> TrySubscribeAsync()
    {
        if (redis.Multiplexer is not { } multiplexer)
        {
            return true;
        }

        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(PolicyChangeNotifier.Channel, (_, message) =>
            {
                var parts = message.ToString().Split(' ');
                if (parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var version))
                {
                    policies.OnChanged(parts[0], version);
                }
            });
            return true;
        }
        catch (RedisException e)
        {
            // Until it succeeds, other replicas' changes still arrive through the periodic refresh.
            logger.LogWarning(e, "Could not subscribe to policy change notices; retrying at the next refresh ({Seconds} s).",
                options.Value.PolicyRefreshSeconds);
            return false;
        }
    }
}
