using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Testing.Redis;

namespace HybridAI.Governance.Tests.Api;

/// <summary>Redis going away and coming back, with a server of its own so other tests keep theirs.</summary>
public sealed class RedisOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BudgetCallsAreUnavailableWhileRedisIsDownAndWorkAgainWhenItIsBack()
    {
        await using var redis = await RedisServer.StartNewAsync(Ct);
        using var host = new GovernanceHost(new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redis.ConnectionString });
        await host.CreateTenantAsync("acme");
        var reserve = (string id) => host.Governance.ReserveBudgetAsync(
            new ReserveBudgetRequest { TenantId = "acme", RequestId = id, AmountMicros = 10 }, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: Ct).ResponseAsync;
        await reserve("before");

        await redis.StopAsync(Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => reserve("during"));
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);

        await redis.StartAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var after = await reserve($"after-{DateTime.UtcNow.Ticks}");
                Assert.Equal(10, after.Budgets[0].ReservedMicros);
                break;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, Ct);
            }
        }
    }
}
