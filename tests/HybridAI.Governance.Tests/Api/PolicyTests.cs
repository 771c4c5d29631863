using System.Net;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Testing.Redis;

namespace HybridAI.Governance.Tests.Api;

public sealed class PolicyTests(RedisServerFixture redis) : IDisposable
{
    private const string GoodPolicy = """
        {
          "allowed_targets": ["slm", "mistral-eu"],
          "allowed_regions": ["eu"],
          "pii_mode": "PII_MODE_LOCAL_ONLY",
          "max_cost_per_request_micros": 20000,
          "budgets": [{ "period": "day", "limit_micros": 1000000 }, { "period": "month", "limit_micros": "20000000" }],
          "rate_limits": { "requests_per_minute": 600, "tokens_per_minute": 200000 },
          "key_rate_limits": { "requests_per_minute": 60 },
          "overrides": [{ "intent": "legal", "target": "mistral-eu" }]
        }
        """;

    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AValidPolicyIsStoredAsTheNextVersionAndServedToTheRouter()
    {
        await _host.CreateTenantAsync("acme");

        var put = await _host.PutPolicyAsync("acme", GoodPolicy);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("\"1\"", put.Headers.ETag?.Tag);
        var policy = await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct);
        Assert.Equal((1, PiiMode.LocalOnly, 20_000_000L), (policy.Version, policy.PiiMode, policy.Budgets[1].LimitMicros));
        Assert.Equal("admin", policy.UpdatedBy);
        Assert.Equal(2, (await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct)).Budgets.Count);
    }

    [Fact]
    public async Task APolicyWithUnknownTargetsAndContradictionsIsRefusedNamingEveryProblem()
    {
        await _host.CreateTenantAsync("acme");

        var put = await _host.PutPolicyAsync("acme", """
            {
              "allowed_targets": ["gpt-4o-mini", "gpt-9-ultra", "gpt-4o-mini"],
              "allowed_regions": ["eu"],
              "pii_mode": "PII_MODE_LOCAL_ONLY",
              "budgets": [{ "period": "week", "limit_micros": 5 }, { "period": "day", "limit_micros": 900 }, { "period": "month", "limit_micros": 100 }],
              "rate_limits": { "requests_per_minute": 10 },
              "key_rate_limits": { "requests_per_minute": 50 },
              "overrides": [{ "intent": "legal", "target": "mistral-eu" }]
            }
            """);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var problems = (await GovernanceHost.ReadAsync(put)).GetProperty("error").GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("field").GetString()}: {p.GetProperty("description").GetString()}").ToList();
        Assert.Contains(problems, p => p.StartsWith("allowed_targets[1]: unknown target 'gpt-9-ultra'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("allowed_targets[2]: 'gpt-4o-mini' is listed twice", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("allowed_targets[0]: target 'gpt-4o-mini' runs in region 'us'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("budgets[0].period: must be day or month", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("budgets: the day budget", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("key_rate_limits.requests_per_minute: 50 exceeds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("overrides[0].target: 'mistral-eu' is not in allowed_targets", StringComparison.Ordinal));
        Assert.Equal(0, (await _host.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct)).Version);
    }

    [Fact]
    public async Task LocalOnlyWithoutALocalTargetIsAContradiction()
    {
        await _host.CreateTenantAsync("acme");

        var put = await _host.PutPolicyAsync("acme", """{ "allowed_targets": ["gpt-4o-mini", "mistral-eu"], "pii_mode": "PII_MODE_LOCAL_ONLY" }""");

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("has no local target", await put.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _host.PutPolicyAsync("acme", """{ "allowed_targets": ["gpt-4o-mini", "ollama-llama"], "pii_mode": "PII_MODE_LOCAL_ONLY" }""")).StatusCode);
    }

    [Fact]
    public async Task AStaleIfMatchIsAConflictAndChangesAreAuditedInTheLedger()
    {
        await _host.CreateTenantAsync("acme");
        await _host.PutPolicyAsync("acme", GoodPolicy);
        await _host.PutPolicyAsync("acme", """{ "pii_mode": "PII_MODE_BLOCK" }""");

        using var stale = new HttpRequestMessage(HttpMethod.Put, new Uri("/admin/tenants/acme/policy", UriKind.Relative)) { Content = new StringContent("{}") };
        stale.Content.Headers.ContentType = new("application/json");
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        stale.Headers.Add("x-admin-actor", "ops@example.com");
        Assert.Equal(HttpStatusCode.Conflict, (await _host.Admin.SendAsync(stale, Ct)).StatusCode);

        var history = await GovernanceHost.ReadAsync(await _host.Admin.GetAsync(new Uri("/admin/tenants/acme/policy/versions", UriKind.Relative), Ct));
        Assert.Equal([2, 1], history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        var export = await _host.Admin.GetStringAsync(new Uri("/admin/ledger/export?tenant=acme&kind=all", UriKind.Relative), Ct);
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.Contains("\"kind\":\"policy_change\"", l, StringComparison.Ordinal));
        var verify = await GovernanceHost.ReadAsync(await _host.Admin.GetAsync(new Uri("/admin/ledger/verify", UriKind.Relative), Ct));
        Assert.True(verify.GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task AnotherReplicaServesAChangedPolicyWithinTheRefreshBound()
    {
        var shared = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.Server.ConnectionString,
            ["Governance:PolicyRefreshSeconds"] = "1",
        };
        using var first = new GovernanceHost(shared);
        using var second = new GovernanceHost(shared, first.DataPath);
        await first.CreateTenantAsync("acme");
        Assert.Equal(0, (await second.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct)).Version);

        Assert.Equal(HttpStatusCode.OK, (await first.PutPolicyAsync("acme", GoodPolicy)).StatusCode);

        var deadline = DateTime.UtcNow.AddSeconds(3);
        int version;
        do
        {
            version = (await second.Governance.GetPolicyAsync(new GetPolicyRequest { TenantId = "acme" }, cancellationToken: Ct)).Version;
            if (version == 1)
            {
                break;
            }

            await Task.Delay(50, Ct);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(1, version);
    }

    public void Dispose() => _host.Dispose();
}
