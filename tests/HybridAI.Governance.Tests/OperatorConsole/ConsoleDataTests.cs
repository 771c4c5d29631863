using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HybridAI.Governance.Tests.Api;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HybridAI.Governance.Tests.OperatorConsole;

public sealed class ConsoleDataTests : IAsyncLifetime
{
    private readonly GovernanceHost _host = new();
    private HttpClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Window => $"from={ConsoleScenario.Start:O}&to={ConsoleScenario.End:O}".Replace("+", "%2B", StringComparison.Ordinal);

    public async ValueTask InitializeAsync()
    {
        await ConsoleScenario.SeedAsync(_host.Governance, _host.CreateTenantAsync, _host.PutPolicyAsync, Ct);
        _client = _host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await _client.PostAsync(new Uri("/console/login", UriKind.Relative), new FormUrlEncodedContent([new("key", GovernanceHost.AdminKey)]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await _client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await GovernanceHost.ReadAsync(response);
    }

    [Fact]
    public async Task OverviewSumsTheReceiptsPerHourAndRoute()
    {
        var o = await GetAsync($"/console/api/overview?bucket=hour&{Window}");

        var series = o.GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(3, series.Count);
        Assert.Equal(ConsoleScenario.Start, series[0].GetProperty("start").GetDateTimeOffset());
        Assert.Equal([1, 1, 0, 0], Routes(series[0]));
        Assert.Equal([1, 0, 1, 0], Routes(series[1]));
        Assert.Equal([0, 1, 0, 1], Routes(series[2]));
        Assert.Equal([0.0009, 0, 0.0025], series.Select(b => b.GetProperty("costUsd").GetDouble()));
        Assert.Equal([0.003, 0.0035, 0.0025], series.Select(b => b.GetProperty("baselineUsd").GetDouble()));
        Assert.Equal(0.0021, series[0].GetProperty("savingsUsd").GetDouble(), 12);

        var totals = o.GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("requests").GetInt64());
        Assert.Equal(0.0034, totals.GetProperty("costUsd").GetDouble(), 12);
        Assert.Equal(0.009, totals.GetProperty("baselineUsd").GetDouble(), 12);
        Assert.Equal(0.0056, totals.GetProperty("savingsUsd").GetDouble(), 12);
    }

    [Fact]
    public async Task OverviewBreaksCostDownByTenantAndModelAndLatencyByRoute()
    {
        var o = await GetAsync($"/console/api/overview?bucket=hour&{Window}");

        Assert.Equal([("globex", 0.0025, 3L), ("acme", 0.0009, 3L)], Rows(o.GetProperty("costByTenant")));
        Assert.Equal([("gpt-4o", 0.0025, 1L), ("gpt-4o-mini", 0.0009, 1L), ("(none)", 0, 2L), ("slm-intent", 0, 2L)], Rows(o.GetProperty("costByModel")));
        var latency = o.GetProperty("latencyByRoute").EnumerateArray()
            .ToDictionary(l => l.GetProperty("route").GetString()!, l => (l.GetProperty("p50Ms").GetDouble(), l.GetProperty("p95Ms").GetDouble(), l.GetProperty("p99Ms").GetDouble()));
        Assert.Equal((20, 30, 30), latency["slm"]);
        Assert.Equal((800, 1200, 1200), latency["llm"]);
        Assert.Equal((3, 3, 3), latency["cache"]);
        Assert.Equal((1, 1, 1), latency["blocked"]);

        var budget = Assert.Single(o.GetProperty("budgets").EnumerateArray());
        Assert.Equal("acme", budget.GetProperty("tenant").GetString());
        Assert.Equal(0.25, budget.GetProperty("usedRatio").GetDouble(), 9);
    }

    [Fact]
    public async Task OverviewOfOneTenantCountsOnlyItsReceipts()
    {
        var o = await GetAsync($"/console/api/overview?bucket=day&tenant=acme&{Window}");

        Assert.Equal("day", o.GetProperty("bucket").GetString());
        Assert.Equal(3, o.GetProperty("totals").GetProperty("requests").GetInt64());
        Assert.Equal(3, o.GetProperty("series").EnumerateArray().Sum(b => b.GetProperty("slm").GetInt64() + b.GetProperty("llm").GetInt64() + b.GetProperty("cache").GetInt64()));
    }

    [Fact]
    public async Task LatestReceiptsComeNewestFirstWithTheRoutersReasons()
    {
        var receipts = (await GetAsync("/console/api/receipts?limit=4")).EnumerateArray().ToList();

        Assert.Equal(["g-3", "g-2", "g-1", "a-3"], receipts.Select(r => r.GetProperty("requestId").GetString()));
        Assert.Equal("blocked", receipts[0].GetProperty("route").GetString());
        Assert.Equal("prompt_injection", receipts[0].GetProperty("blockCode").GetString());
        Assert.Equal(["guard: prompt injection detected (score 0.99)"], receipts[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Matches("^[0-9a-f]{64}$", receipts[0].GetProperty("hash").GetString()!);
    }

    [Fact]
    public async Task VerifyingTheLedgerReportsTheChainIntact()
    {
        var verified = await _client.PostAsync(new Uri("/console/api/ledger/verify", UriKind.Relative), null, Ct);
        var status = await GetAsync("/console/api/ledger");

        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        Assert.True(status.GetProperty("valid").GetBoolean());
        Assert.True(status.GetProperty("records").GetInt64() >= 7); // six receipts and acme's policy change
    }

    [Theory]
    [InlineData("bucket=week", "bucket")]
    [InlineData("range=90d&bucket=hour", "bucket")]
    [InlineData("range=forever", "range")]
    [InlineData("tenant=Not_A_Tenant", "tenant")]
    [InlineData("from=yesterday", "from")]
    [InlineData("tennant=acme", "tennant")]
    public async Task RefusesABadQueryNamingTheParameter(string query, string field)
    {
        var response = await _client.GetAsync(new Uri($"/console/api/overview?{query}", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = (await GovernanceHost.ReadAsync(response)).GetProperty("error").GetProperty("problems");
        Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("field").GetString() == field);
    }

    [Fact]
    public async Task PageDrawsEveryChartFromTheSameFigures()
    {
        var html = await _client.GetStringAsync(new Uri("/console?range=24h&bucket=hour", UriKind.Relative), Ct);

        foreach (var id in new[] { "chart-savings", "chart-route-mix", "chart-cost-tenant", "chart-cost-model", "chart-latency", "chart-budgets" })
        {
            Assert.Contains($"""<svg xmlns="http://www.w3.org/2000/svg" id="{id}" """, html, StringComparison.Ordinal);
        }

        Assert.Equal(6, Values(html, "bar", "slm").Concat(Values(html, "bar", "llm")).Concat(Values(html, "bar", "cache")).Concat(Values(html, "bar", "blocked")).Sum());
        Assert.Equal(0.009, Values(html, "point", "baseline").Sum(), 12);
        Assert.Equal(0.0034, Values(html, "point", "cost").Sum(), 12);
        Assert.Contains("cascade: SLM confidence 0.41 below 0.60", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PageShowsABadFilterAsAMessageOverTheDefaultView()
    {
        var response = await _client.GetAsync(new Uri("/console?range=90d&bucket=hour", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("use day buckets or a shorter range", html, StringComparison.Ordinal);
        Assert.Contains("id=\"chart-route-mix\"", html, StringComparison.Ordinal);
    }

    internal static IEnumerable<double> Values(string html, string mark, string series) =>
        Regex.Matches(html, $"""class="{mark}" data-series="{series}" data-x="[^"]*" data-value="([^"]+)" """)
            .Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static long[] Routes(JsonElement bucket) =>
        [bucket.GetProperty("slm").GetInt64(), bucket.GetProperty("llm").GetInt64(), bucket.GetProperty("cache").GetInt64(), bucket.GetProperty("blocked").GetInt64()];

    private static List<(string, double, long)> Rows(JsonElement rows) =>
        rows.EnumerateArray().Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("costUsd").GetDouble(), r.GetProperty("requests").GetInt64())).ToList();

    public ValueTask DisposeAsync()
    {
        _client?.Dispose();
        _host.Dispose();
        return ValueTask.CompletedTask;
    }
}
