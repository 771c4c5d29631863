using HybridAI.Reliability.Tests.Harness;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Reliability.Tests;

/// <summary>llm-proxy's primary upstream dies under load and comes back.</summary>
public sealed class UpstreamOutageTests(LocalTier local)
{
    private const string Tenant = "steady";
    private const string PrimaryModel = "gpt-primary";
    private const string BackupModel = "gpt-backup";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Invariant: when the primary LLM upstream is killed while ~50 requests are in flight, no accepted request is lost:
    /// each either completes (on the backup target) or fails with an OpenAI-shaped error, and every one of them has a
    /// receipt in governance's ledger; when the upstream comes back on its address, it serves again.
    /// </summary>
    [Fact]
    public async Task KillingThePrimaryUpstreamMidLoadLosesNoRequestAndEveryRequestHasAReceipt()
    {
        var primary = await OpenAIUpstream.StartAsync(Ct);
        await using var backup = await OpenAIUpstream.StartAsync(Ct);
        var primaryPort = primary.Root.Port;
        // Slow enough that the kill lands on requests in flight.
        primary.Respond(UpstreamReply.WithText("Answer from the primary model.").WithFirstTokenDelay(TimeSpan.FromMilliseconds(400)));
        backup.Respond(UpstreamReply.WithText("Answer from the backup model."));
        using var stack = new Stack(local);
        try
        {
            stack.StartGovernance();
            await stack.CreateTenantAsync(Tenant, policy: null, Ct);
            stack.StartLlmProxy(ServiceSettings.Merge(
                ServiceSettings.LlmModel(0, PrimaryModel, primary, 2.5m, 10m),
                ServiceSettings.LlmModel(1, BackupModel, backup, 0.15m, 0.6m),
                // A breaker that stays closed, so recovery is the upstream's coming back, not a breaker's timer.
                new() { ["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "1000" }));
            stack.StartRouter();
            using var http = stack.RouterClient(Tenant);

            var load = Traffic.RunAsync(http, count: 50, concurrency: 50, _ => Traffic.LlmPrompt(), Ct);
            await primary.WaitForRequestsAsync(20, TimeSpan.FromSeconds(30), Ct);
            await primary.DisposeAsync();
            var outcomes = await load.WaitAsync(TimeSpan.FromSeconds(60), Ct);

            Assert.All(outcomes, o => Assert.True(o.Ok || o.IsClearError, $"neither served nor a clear error: {o}"));
            Assert.Contains(outcomes, o => o.Ok && o.Model == BackupModel);
            var served = outcomes.Count(o => o.Ok);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{served} of {outcomes.Count} served ({outcomes.Count(o => o.Model == BackupModel)} by the backup), {outcomes.Count(o => !o.Ok)} clear errors: "
                + string.Join("; ", outcomes.Where(o => !o.Ok).Select(o => o.ErrorCode).Distinct()));

            // The primary comes back where llm-proxy looks for it and serves again.
            primary = await OpenAIUpstream.StartAsync(primaryPort, Ct);
            primary.Respond(UpstreamReply.WithText("Answer from the primary model."));
            var after = new List<Outcome>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (!after.Any(o => o.Ok && o.Model == PrimaryModel) && DateTime.UtcNow < deadline)
            {
                after.Add(await Traffic.SendAsync(http, Traffic.LlmPrompt(), Ct));
                await Task.Delay(100, Ct);
            }

            Assert.Contains(after, o => o.Ok && o.Model == PrimaryModel);
            Assert.All(after, o => Assert.True(o.Ok, $"after recovery: {o}"));

            var all = outcomes.Concat(after).ToList();
            var receipts = await Ledger.WaitForReceiptsAsync(stack, Tenant, all.Select(o => o.RequestId), TimeSpan.FromSeconds(30), Ct);
            Assert.True(receipts.Count == all.Count,
                $"{all.Count - receipts.Count} requests have no receipt: {string.Join(", ", all.Select(o => o.RequestId).Except(receipts.Keys).Take(10))}");
            foreach (var outcome in all.Where(o => o.Ok))
            {
                Assert.Equal(outcome.Model, receipts[outcome.RequestId].GetProperty("decision").GetProperty("model").GetString());
            }
        }
        finally
        {
            await primary.DisposeAsync();
        }
    }
}
