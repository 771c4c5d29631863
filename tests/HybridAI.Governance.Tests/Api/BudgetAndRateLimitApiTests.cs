using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Tests.Api;

public sealed class BudgetAndRateLimitApiTests : IDisposable
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task TenantWithPolicyAsync()
    {
        await _host.CreateTenantAsync("acme");
        await _host.PutPolicyAsync("acme", """
            { "max_cost_per_request_micros": 600, "budgets": [{ "period": "day", "limit_micros": 1000 }],
              "rate_limits": { "requests_per_minute": 3, "tokens_per_minute": 1000 } }
            """);
    }

    [Fact]
    public async Task AReservationBeyondTheBudgetIsResourceExhaustedWithARetryHint()
    {
        await TenantWithPolicyAsync();
        var first = await _host.Governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "acme", RequestId = "r1", AmountMicros = 600 }, cancellationToken: Ct);
        Assert.Equal("r1", first.ReservationId);

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "acme", RequestId = "r2", AmountMicros = 500 }, cancellationToken: Ct));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("day budget", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), error.GetRpcStatus()!.GetDetail<RetryInfo>()!.RetryDelay.ToTimeSpan());

        var settled = await _host.Governance.SettleBudgetAsync(new SettleBudgetRequest { TenantId = "acme", ReservationId = "r1", ActualMicros = 100 }, cancellationToken: Ct);
        Assert.Equal((100L, 0L), (settled.Budgets[0].SpentMicros, settled.Budgets[0].ReservedMicros));
        await _host.Governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "acme", RequestId = "r3", AmountMicros = 500 }, cancellationToken: Ct);
    }

    [Fact]
    public async Task BadBudgetRequestsAreRefusedWithTheRightStatus()
    {
        await TenantWithPolicyAsync();

        var tooCostly = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "acme", RequestId = "r", AmountMicros = 601 }, cancellationToken: Ct));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "ghost", RequestId = "r", AmountMicros = 1 }, cancellationToken: Ct));
        var invalid = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.ReserveBudgetAsync(new ReserveBudgetRequest { TenantId = "acme", AmountMicros = -1, TtlSeconds = 99999 }, cancellationToken: Ct));

        Assert.Equal(StatusCode.FailedPrecondition, tooCostly.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);
        Assert.Equal(["request_id", "amount_micros", "ttl_seconds"],
            invalid.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task RateLimitsRefuseWithRetryAfterOnceTheTenantsLimitIsUsed()
    {
        await TenantWithPolicyAsync();
        for (var i = 0; i < 3; i++)
        {
            var ok = await _host.Governance.CheckRateLimitAsync(new CheckRateLimitRequest { TenantId = "acme", KeyId = "key_a", Requests = 1 }, cancellationToken: Ct);
            Assert.True(ok.Allowed);
        }

        var refused = await _host.Governance.CheckRateLimitAsync(new CheckRateLimitRequest { TenantId = "acme", KeyId = "key_b", Requests = 1 }, cancellationToken: Ct);

        Assert.False(refused.Allowed);
        Assert.InRange(refused.RetryAfterMs, 1, 20_000);
        var tooMany = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Governance.CheckRateLimitAsync(new CheckRateLimitRequest { TenantId = "acme", Tokens = 5000 }, cancellationToken: Ct));
        Assert.Equal(StatusCode.FailedPrecondition, tooMany.StatusCode);
    }

    public void Dispose() => _host.Dispose();
}
