using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Governance.Client;
using HybridAI.Governance.Client.Budgets;
using HybridAI.Governance.Client.Keys;
using HybridAI.Governance.Client.Policies;
using HybridAI.Governance.Tests.Api;
using HybridAI.Testing.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Tests.Client;

public sealed class ClientCacheAndBudgetTests : IDisposable
{
    private readonly GovernanceHost _governance = new(new Dictionary<string, string?> { ["Governance:KeyCacheSeconds"] = "10" });
    private readonly ManualTimeProvider _clock = new();
    private readonly IOptions<GovernanceClientOptions> _options = Options.Create(new GovernanceClientOptions { MaxKeyCacheSeconds = 5, PolicyRefreshSeconds = 2 });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ARevokedKeyStopsWorkingAtTheEdgeWithinTheCacheBound()
    {
        await _governance.CreateTenantAsync("acme");
        var (keyId, key) = await _governance.IssueKeyAsync("acme");
        var cache = new ApiKeyAuthorizationCache(_governance.Governance, _options, _clock);
        Assert.Equal("acme", (await cache.AuthorizeAsync(key, Ct))?.TenantId);

        await _governance.Admin.DeleteAsync(new Uri($"/admin/keys/{keyId}", UriKind.Relative), Ct);

        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.NotNull(await cache.AuthorizeAsync(key, Ct));
        _clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.Null(await cache.AuthorizeAsync(key, Ct));
        Assert.Null(await cache.AuthorizeAsync("hai_aaaaaaaaaaaa_not-a-real-key-at-all", Ct));
    }

    [Fact]
    public async Task ConcurrentMissesForOneKeyShareOneCallToGovernance()
    {
        await _governance.CreateTenantAsync("acme");
        var (_, key) = await _governance.IssueKeyAsync("acme");
        var counting = new CountingGovernanceClient(_governance.Governance);
        var cache = new ApiKeyAuthorizationCache(counting, _options, _clock);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => cache.AuthorizeAsync(key, Ct)));

        Assert.All(answers, a => Assert.Equal("acme", a?.TenantId));
        Assert.Equal(1, counting.AuthorizeCalls);
    }

    [Fact]
    public async Task APolicyChangeReachesTheRouterCacheWithinTheRefreshInterval()
    {
        await _governance.CreateTenantAsync("acme");
        var cache = new TenantPolicyCache(_governance.Governance, _options, _clock, NullLogger<TenantPolicyCache>.Instance);
        var seen = new List<int>();
        cache.Changed += p => seen.Add(p.Version);
        Assert.Equal(0, (await cache.GetAsync("acme", Ct)).Version);

        await _governance.PutPolicyAsync("acme", """{ "pii_mode": "PII_MODE_BLOCK" }""");
        Assert.Equal(0, (await cache.GetAsync("acme", Ct)).Version);
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(PiiMode.Block, (await cache.GetAsync("acme", Ct)).PiiMode);
        Assert.Equal([1], seen);
    }

    [Fact]
    public async Task AnUnsettledReservationIsReleasedWhenDisposed()
    {
        await _governance.CreateTenantAsync("acme");
        await _governance.PutPolicyAsync("acme", """{ "budgets": [{ "period": "day", "limit_micros": 1000 }] }""");
        var budget = new BudgetClient(_governance.Governance, _options);

        await using (var held = await budget.ReserveAsync("acme", "r1", 1000, TimeSpan.FromMinutes(1), Ct))
        {
            var refused = await Assert.ThrowsAsync<BudgetExhaustedException>(() => budget.ReserveAsync("acme", "r2", 1, TimeSpan.FromMinutes(1), Ct));
            Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        }

        await using var next = await budget.ReserveAsync("acme", "r3", 1000, TimeSpan.FromMinutes(1), Ct);
        var settled = await next.SettleAsync(400, Ct);
        Assert.Equal(400, settled.Budgets[0].SpentMicros);
    }

    [Fact]
    public void WorstCaseAndActualCostsFollowTheCataloguePrices()
    {
        var price = new ModelPrice { InputPerMtokMicros = 2_500_000, CachedInputPerMtokMicros = 1_250_000, OutputPerMtokMicros = 10_000_000 };

        Assert.Equal(2_500 + 10_000, BudgetClient.WorstCaseMicros(1_000, 1_000, price));
        Assert.Equal(1_250 + 625 + 2_000, BudgetClient.ActualMicros(new TokenUsage { PromptTokens = 1_000, CachedPromptTokens = 500, CompletionTokens = 200 }, price));
        Assert.Equal(3, BudgetClient.WorstCaseMicros(1, 0, price));
    }

    public void Dispose() => _governance.Dispose();
}

/// <summary>Counts AuthorizeKey calls on their way to the real service.</summary>
internal sealed class CountingGovernanceClient(GovernanceService.GovernanceServiceClient inner) : GovernanceService.GovernanceServiceClient
{
    private int _authorizeCalls;

    public int AuthorizeCalls => _authorizeCalls;

    public override global::Grpc.Core.AsyncUnaryCall<AuthorizeKeyResponse> AuthorizeKeyAsync(AuthorizeKeyRequest request, global::Grpc.Core.Metadata? headers = null,
        DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _authorizeCalls);
        return inner.AuthorizeKeyAsync(request, headers, deadline, cancellationToken);
    }
}
