using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Net.Client;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Governance.Calibration;
using HybridAI.Quality.Calibration;
using HybridAI.Testing.Quality;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// The quality loop end to end on a simulated tenant: MMLU prompts scored by the shipped needs-LLM head, the routing
/// labels playing the judge, a deliberately bad threshold, then samples → scheduled job → proposal → approval →
/// policy version → the router applies the new threshold, and the held-back half meets the target.
/// </summary>
public sealed class CalibrationTests(HybridSuite suite)
{
    private const string Tenant = "calibrated";
    private const string Target = "parity>=0.9";
    private const double BadThreshold = 0.99;
    private const double SlmCostMicros = 100, LlmCostMicros = 2000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CalibratedThresholdFromTheJobIsApprovedAppliedByTheRouterAndMeetsTheTargetOnHeldBackTraffic()
    {
        var prompts = RoutingLabels.Sample(1000, seed: 13);
        var scores = await ScoreAsync(prompts.Select(p => p.Prompt).ToList());
        var samples = prompts.Select((p, i) => new CalibrationSample(scores[i], null, null, p.Parity, SlmCostMicros, LlmCostMicros) { Source = "label" }).ToList();
        var (training, heldBack) = (samples[..500], samples[500..]);
        using var admin = suite.AdminClient();
        await CreateTenantAsync(admin);
        var source = suite.Governance.Factory.Services.GetRequiredService<InMemoryCalibrationSampleSource>();
        foreach (var sample in training)
        {
            source.Add(Tenant, DateTimeOffset.UtcNow.AddMinutes(-1), sample);
        }

        Assert.True(Calibrator.Evaluate(heldBack, ThresholdSignal.NeedsLlm, BadThreshold).Parity < 0.9, "the starting threshold misses the target");

        await suite.Governance.Factory.Services.GetRequiredService<CalibrationJob>().RunOnceAsync(Ct);

        var list = await admin.GetFromJsonAsync<JsonElement>($"/admin/tenants/{Tenant}/calibration/proposals", Ct);
        var proposal = Assert.Single(list.GetProperty("proposals").EnumerateArray());
        Assert.Equal("PROPOSAL_STATE_PENDING", proposal.GetProperty("state").GetString());
        var proposed = proposal.GetProperty("proposed").GetProperty("needs_llm").GetDouble();
        Assert.InRange(proposed, 0.01, BadThreshold - 0.01);

        using var approve = new HttpRequestMessage(HttpMethod.Post, $"/admin/tenants/{Tenant}/calibration/proposals/{proposal.GetProperty("id").GetString()}/approve");
        approve.Headers.Add("x-admin-actor", "operator");
        using var approved = await admin.SendAsync(approve, Ct);
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync(Ct));
        Assert.Equal(2, (await approved.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("version").GetInt32());

        var held = Calibrator.Evaluate(heldBack, ThresholdSignal.NeedsLlm, proposed);
        Assert.True(held.Parity >= 0.9, $"held-back parity {held.Parity:0.####} at {proposed:0.####}");
        Assert.True(held.LlmShare < 1, "the calibrated threshold still answers some requests locally");

        // Held back, between the new threshold and the old one: the router moves it from the SLM to the LLM tier.
        var moved = Enumerable.Range(500, 500).First(i => scores[i] > proposed + 0.05 && scores[i] < BadThreshold - 0.05);
        var explained = await ExplainWithinAsync(prompts[moved].Prompt, proposed);
        Assert.Equal("llm", explained.GetProperty("decision").GetProperty("route").GetString());
        var applied = explained.GetProperty("thresholds").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "needs_llm");
        Assert.Equal("tenant policy v2", applied.GetProperty("source").GetString());
        Assert.Equal(proposed, applied.GetProperty("value").GetDouble(), 9);
        Assert.Equal(AppliedThresholdsSource, explained.GetProperty("thresholds").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "guard").GetProperty("source").GetString());
    }

    private const string AppliedThresholdsSource = Policy.AppliedThresholds.ConfigurationSource;

    private static async Task CreateTenantAsync(HttpClient admin)
    {
        using var created = await admin.PostAsJsonAsync("/admin/tenants", new { id = Tenant, name = "Simulated tenant" }, Ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
        var policy = $$"""{ "thresholds": { "needs_llm": {{BadThreshold.ToString(CultureInfo.InvariantCulture)}} }, "calibration": { "enabled": true, "target": "{{Target}}" } }""";
        using var put = await admin.PutAsync(new Uri($"/admin/tenants/{Tenant}/policy", UriKind.Relative), new StringContent(policy, System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
    }

    private async Task<double[]> ScoreAsync(List<string> texts)
    {
        using var channel = GrpcChannel.ForAddress(suite.Inference.GrpcAddress);
        var client = new InferenceService.InferenceServiceClient(channel);
        var scores = new List<double>(texts.Count);
        foreach (var batch in texts.Chunk(64))
        {
            var response = await client.ClassifyAsync(new ClassifyRequest { Heads = { "needs-llm" }, Texts = { batch } }, cancellationToken: Ct);
            scores.AddRange(response.Results.Select(r => r.Heads[0].Scores.Single(s => s.Label == "llm").Score));
        }

        return [.. scores];
    }

    // The router re-reads a tenant's policy within Governance:PolicyRefreshSeconds (5 s); wait at most 30 s for version 2.
    private async Task<JsonElement> ExplainWithinAsync(string prompt, double expected)
    {
        using var http = suite.RouterClient(Tenant);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.PostAsJsonAsync("/v1/hybrid/explain", Routed.Body(prompt), Ct);
            last = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            if (last.TryGetProperty("thresholds", out var thresholds)
                && thresholds.EnumerateArray().Any(t => t.GetProperty("name").GetString() == "needs_llm" && Math.Abs(t.GetProperty("value").GetDouble() - expected) < 1e-9))
            {
                return last;
            }

            await Task.Delay(250, Ct);
        }

        Assert.Fail($"The router did not apply needs_llm {expected} within 30 s; last explanation: {last}");
        return last;
    }
}
