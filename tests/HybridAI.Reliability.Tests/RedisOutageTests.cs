using System.Globalization;
using System.Text.Json;
using HybridAI.Reliability.Tests.Harness;
using HybridAI.Testing.Redis;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Reliability.Tests;

/// <summary>Redis (governance's budgets and rate limits, the router's cache) dies under load and comes back.</summary>
public sealed class RedisOutageTests(LocalTier local)
{
    private const string Tenant = "metered";

    /// <summary>Every answer costs 10 × 2.5 + 100 × 10 = 1,025 micro-dollars; the reservation's worst case is a little more.</summary>
    private const long LimitMicros = 10_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Invariant: while Redis is down, requests keep being served on the documented degraded path: FAQ answers are
    /// served (the cache lookup fails quietly), LLM requests fail closed with 503 <c>budget_unavailable</c> (governance
    /// cannot reserve, Router:Budget:FailOpen=false) rather than spending unaccounted money; the tenant's budget is never
    /// exceeded (settled cost in governance's report ≤ limit, and the limit is reached); after Redis restarts, service
    /// recovers with no intervention. Redis runs append-only (fsync always), as budgets need in production.
    /// </summary>
    [Fact]
    public async Task StoppingRedisMidLoadKeepsFaqAnswersServedRefusesUnaccountedLlmCallsNeverExceedsTheBudgetAndRecovers()
    {
        await using var redis = await RedisServer.StartNewAsync(appendOnly: true, Ct);
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText("An answer from the LLM.").WithUsage(10, 100));
        using var stack = new Stack(local);
        var onRedis = new Dictionary<string, string?> { ["ConnectionStrings:redis"] = redis.ConnectionString };
        stack.StartGovernance(onRedis);
        await stack.CreateTenantAsync(Tenant, new { budgets = new[] { new { period = "day", limit_micros = LimitMicros } } }, Ct);
        stack.StartLlmProxy(ServiceSettings.LlmModel(0, "gpt-primary", upstream, 2.5m, 10m, maxOutputTokens: 100));
        stack.StartRouter(onRedis);
        using var metered = stack.RouterClient(Tenant);
        using var dev = stack.RouterClient("dev");

        var before = await Traffic.RunAsync(metered, 4, 2, _ => Traffic.LlmPrompt(), Ct);
        var faqBefore = await Traffic.RunAsync(dev, 4, 2, _ => Traffic.FaqQuestion, Ct);

        var load = Task.WhenAll(
            Traffic.RunAsync(metered, 10, 2, _ => Traffic.LlmPrompt(), Ct),
            Traffic.RunAsync(dev, 10, 2, _ => Traffic.FaqQuestion, Ct));
        await redis.StopAsync(Ct);
        var midLoad = (await load.WaitAsync(TimeSpan.FromSeconds(60), Ct)).SelectMany(o => o).ToList();
        var llmDown = await Traffic.RunAsync(metered, 6, 2, _ => Traffic.LlmPrompt(), Ct);
        var faqDown = await Traffic.RunAsync(dev, 6, 2, _ => Traffic.FaqQuestion, Ct);

        await redis.StartAsync(Ct);
        var recovery = await RecoverAsync(metered);
        var after = await Traffic.RunAsync(metered, 12, 2, _ => Traffic.LlmPrompt(), Ct);
        var faqAfter = await Traffic.RunAsync(dev, 4, 2, _ => Traffic.FaqQuestion, Ct);

        var all = before.Concat(faqBefore).Concat(midLoad).Concat(llmDown).Concat(faqDown).Concat(recovery).Concat(after).Concat(faqAfter).ToList();
        foreach (var (phase, outcomes) in new[]
        {
            ("before", before.Concat(faqBefore).ToList()), ("killed mid-load", midLoad), ("LLM, Redis down", llmDown), ("FAQ, Redis down", faqDown),
            ("recovering", recovery), ("LLM after restart", after), ("FAQ after restart", faqAfter),
        })
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Traffic.Summary(phase, outcomes));
        }

        Assert.All(all, o => Assert.True(o.Ok || o.IsClearError, $"neither served nor a clear error: {o}"));
        Assert.All(before.Concat(faqBefore), o => Assert.True(o.Ok, $"before the outage: {o}"));
        Assert.All(faqDown.Concat(faqAfter), o => Assert.True(o.Ok && o.Route is "slm" or "cache", $"FAQ: {o}"));
        Assert.All(llmDown, o => Assert.True(o.Status == 503 && o.ErrorCode == "budget_unavailable", $"LLM with Redis down: {o}"));
        // After the restart the budget state is Redis's again: spending resumes until the limit, then 429.
        Assert.All(after, o => Assert.True(o.Ok || (o.Status == 429 && o.ErrorCode == "budget_exceeded"), $"LLM after restart: {o}"));
        Assert.Contains(after, o => o.Status == 429);

        var receipts = await Ledger.WaitForReceiptsAsync(stack, Tenant, all.Where(o => o.Prompt != Traffic.FaqQuestion).Select(o => o.RequestId), TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(all.Count(o => o.Prompt != Traffic.FaqQuestion), receipts.Count);
        using var admin = stack.AdminClient();
        using var report = JsonDocument.Parse(await admin.GetStringAsync(new Uri($"/admin/tenants/{Tenant}/report", UriKind.Relative), Ct));
        var cost = Micros(report.RootElement.GetProperty("cost_micros"));
        var served = all.Count(o => o.Ok && o.Prompt != Traffic.FaqQuestion);
        TestContext.Current.TestOutputHelper?.WriteLine($"{served} LLM answers settled {cost} micro-USD of a {LimitMicros} limit");
        Assert.True(cost <= LimitMicros, $"settled {cost} micro-USD, over the limit of {LimitMicros}");
        Assert.Equal(served * 1_025L, cost);
    }

    /// <summary>Sends LLM requests until budgets answer again (served or refused for the limit), bounded.</summary>
    private static async Task<List<Outcome>> RecoverAsync(HttpClient http)
    {
        var outcomes = new List<Outcome>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!outcomes.Any(o => o.Ok || o.Status == 429) && DateTime.UtcNow < deadline)
        {
            outcomes.Add(await Traffic.SendAsync(http, Traffic.LlmPrompt(), Ct));
            await Task.Delay(100, Ct);
        }

        Assert.True(outcomes.Any(o => o.Ok || o.Status == 429), $"Redis restarted, but budgets did not answer within 30 s: {outcomes[^1]}");
        return outcomes;
    }

    private static long Micros(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();
}
