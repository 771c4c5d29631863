using HybridAI.Governance.Client.Receipts;
using HybridAI.Reliability.Tests.Harness;
using HybridAI.Router.Receipts;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Reliability.Tests;

/// <summary>Governance dies under load; then the router dies while receipts wait for it.</summary>
public sealed class GovernanceOutageTests(LocalTier local)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Invariant: when governance is killed mid-load and restarted on its data folder and ports, every request's receipt
    /// (those made while it was down included) is buffered in the router's outbox and reaches the ledger after the
    /// restart, exactly once, and the ledger still verifies. Meanwhile FAQ answers keep being served (the tenant's
    /// policy is cached) and LLM requests fail closed with a clear <c>budget_unavailable</c> (Router:Budget:FailOpen=false),
    /// promptly rather than after the call deadline.
    /// </summary>
    [Fact]
    public async Task KillingGovernanceMidLoadBuffersEveryReceiptAndAllArriveAfterRestartInAVerifiedLedger()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText("An answer from the LLM."));
        using var stack = new Stack(local);
        stack.StartGovernance();
        stack.StartLlmProxy(ServiceSettings.LlmModel(0, "gpt-primary", upstream, 2.5m, 10m));
        stack.StartRouter();
        using var http = stack.RouterClient("dev");

        var up = await Traffic.RunAsync(http, 20, 4, Mixed, Ct);
        var loadDuringOutage = Traffic.RunAsync(http, 40, 4, Mixed, Ct);
        stack.StopGovernance();
        var down = await loadDuringOutage.WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var stillDown = await Traffic.RunAsync(http, 20, 4, Mixed, Ct);
        stack.RestartGovernance();
        var recovery = await RecoverAsync(http);
        var after = await Traffic.RunAsync(http, 20, 4, Mixed, Ct);

        var all = up.Concat(down).Concat(stillDown).Concat(recovery).Concat(after).ToList();
        foreach (var (phase, outcomes) in new[] { ("up", up), ("killed mid-load", down), ("down", stillDown), ("recovering", recovery), ("after restart", after) })
        {
            TestContext.Current.TestOutputHelper?.WriteLine(Traffic.Summary(phase, outcomes));
        }

        Assert.All(all, o => Assert.True(o.Ok || o.IsClearError, $"neither served nor a clear error: {o}"));
        // A dead governance is known at once (refused connections open the control-plane breaker): nobody waits out
        // the call deadline (GovernanceClient:CallTimeout, 5 s) for it. Generous for a loaded machine; ~0.2 s seen.
        Assert.All(down.Concat(stillDown), o => Assert.True(o.Elapsed < TimeSpan.FromSeconds(3), $"waited {o.Elapsed.TotalMilliseconds:F0} ms with governance down: {o}"));
        Assert.All(up.Concat(after), o => Assert.True(o.Ok, $"with governance up: {o}"));
        Assert.All(stillDown.Where(o => o.Prompt == Traffic.FaqQuestion), o => Assert.True(o.Ok && o.Route is "slm" or "cache", $"FAQ with governance down: {o}"));
        Assert.All(stillDown.Where(o => o.Prompt != Traffic.FaqQuestion), o => Assert.True(o.Status == 503 && o.ErrorCode == "budget_unavailable", $"LLM with governance down: {o}"));

        var receipts = await Ledger.WaitForReceiptsAsync(stack, "dev", all.Select(o => o.RequestId), TimeSpan.FromSeconds(30), Ct);
        Assert.True(receipts.Count == all.Count,
            $"{all.Count - receipts.Count} of {all.Count} receipts never arrived: {string.Join(", ", all.Select(o => o.RequestId).Except(receipts.Keys).Take(10))}");
        var ids = (await Ledger.ReceiptsAsync(stack, "dev", Ct)).Select(r => r.GetProperty("context").GetProperty("request_id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var (status, verify) = await Ledger.VerifyAsync(stack, Ct);
        Assert.True(status == 200 && verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    /// <summary>
    /// Invariant: receipts buffered in the router's outbox survive the router's death. Governance is down, the router
    /// serves LLM requests anyway (this test sets Router:Budget:FailOpen=true, so no reservation is needed), its
    /// receipts wait in the outbox; the router is then stopped with no drain (Router:Receipts:DrainTimeout=0), a new
    /// router starts on the same GovernanceClient:OutboxPath, governance comes back: every receipt reaches the ledger, once.
    /// </summary>
    [Fact]
    public async Task RestartingTheRouterWhileReceiptsAreBufferedLosesNone()
    {
        const string Tenant = "resilient";
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText("An answer from the LLM."));
        using var stack = new Stack(local);
        stack.StartGovernance();
        await stack.CreateTenantAsync(Tenant, policy: null, Ct);
        stack.StartLlmProxy(ServiceSettings.LlmModel(0, "gpt-primary", upstream, 2.5m, 10m));
        stack.StartRouter(new()
        {
            ["Router:Budget:FailOpen"] = "true",
            ["Router:Receipts:DrainTimeout"] = "00:00:00",
        });
        var all = new List<Outcome>();
        List<Outcome> outage;
        using (var http = stack.RouterClient(Tenant))
        {
            // The tenant's policy is fetched (and cached) while governance is up.
            all.Add(await Traffic.SendAsync(http, Traffic.LlmPrompt(), Ct));
            stack.StopGovernance();
            outage = await Traffic.RunAsync(http, 30, 5, _ => Traffic.LlmPrompt(), Ct);
            all.AddRange(outage);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(Traffic.Summary("governance down, fail-open", all));
        Assert.All(all, o => Assert.True(o.Ok && o.Route == "llm", $"served without governance (fail-open): {o}"));
        var services = stack.Router!.Factory.Services;
        await services.GetRequiredService<ReceiptRecorder>().FlushAsync(TimeSpan.FromSeconds(10), Ct);
        var buffered = services.GetRequiredService<ReceiptOutbox>().Count;
        // The first request's receipt may already have reached governance before it stopped; the outage's cannot have.
        Assert.True(buffered >= outage.Count, $"{buffered} receipts in the outbox, {outage.Count} requests served during the outage");

        stack.StopRouter();
        stack.RestartRouter();
        stack.RestartGovernance();

        var receipts = await Ledger.WaitForReceiptsAsync(stack, Tenant, all.Select(o => o.RequestId), TimeSpan.FromSeconds(30), Ct);
        Assert.True(receipts.Count == all.Count,
            $"{all.Count - receipts.Count} of {all.Count} receipts were lost: {string.Join(", ", all.Select(o => o.RequestId).Except(receipts.Keys).Take(10))}");
        var ids = (await Ledger.ReceiptsAsync(stack, Tenant, Ct)).Select(r => r.GetProperty("context").GetProperty("request_id").GetString()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var (status, verify) = await Ledger.VerifyAsync(stack, Ct);
        Assert.True(status == 200 && verify.GetProperty("valid").GetBoolean(), verify.ToString());
    }

    /// <summary>Sends LLM requests until one is served again (bounded): the router's client reconnects by itself.</summary>
    private static async Task<List<Outcome>> RecoverAsync(HttpClient http)
    {
        var outcomes = new List<Outcome>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!outcomes.Any(o => o.Ok) && DateTime.UtcNow < deadline)
        {
            outcomes.Add(await Traffic.SendAsync(http, Traffic.LlmPrompt(), Ct));
            await Task.Delay(100, Ct);
        }

        Assert.True(outcomes.Any(o => o.Ok), $"governance restarted, but no LLM request was served within 30 s: {outcomes[^1]}");
        TestContext.Current.TestOutputHelper?.WriteLine($"served again after {outcomes.Count} attempts");
        return outcomes;
    }

    private static string Mixed(int i) => i % 2 == 0 ? Traffic.FaqQuestion : Traffic.LlmPrompt();
}
