using System.Globalization;
using System.Net;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Calibration;
using HybridAI.Governance.OperatorConsole.Quality;
using HybridAI.Governance.Tests.Api;
using HybridAI.Governance.Tests.Ledger;
using HybridAI.Quality.Calibration;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Governance.Tests.Calibration;

/// <summary>
/// The quality loop's two halves joined: feedback and shadow results recorded through governance's gRPC API become the
/// tenant's calibration samples, the job proposes thresholds from them, and the console shows thresholds, history and curve.
/// </summary>
public sealed class CalibrationFromQualityTests : IDisposable
{
    private const long SlmCost = 100, RerunCost = 2_000;

    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task RatedAndShadowJudgedSlmAnswersBecomeTheTenantsSamplesWithTheDocumentedMappings()
    {
        foreach (var tenant in new[] { "acme", "globex", "initech" })
        {
            await _host.CreateTenantAsync(tenant);
        }

        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await RecordAsync(
            Receipt("acme", "judged", Route.Slm, 0.2, at, faqScore: 0.81),
            Receipt("acme", "rated-neutral", Route.Slm, 0.4, at, meanLogprob: -0.7),
            Receipt("acme", "rated-bad", Route.Cache, 0.6, at),
            Receipt("acme", "rated-good", Route.Slm, 0.1, at),
            Receipt("acme", "on-llm", Route.Llm, 0.9, at, cost: 5_000),
            Receipt("acme", "unobserved", Route.Slm, 0.3, at),
            Receipt("globex", "foreign", Route.Slm, 0.5, at),
            Receipt("initech", "rated-only", Route.Slm, 0.5, at));
        await RateAsync("acme", "judged", -1); // the judge's parity wins over the rating
        await RateAsync("acme", "rated-neutral", 0);
        await RateAsync("acme", "rated-bad", -1);
        await RateAsync("acme", "rated-good", 1);
        await RateAsync("acme", "on-llm", 1);
        await RateAsync("initech", "rated-only", 1);
        await ShadowAsync(Shadow("acme", "judged", 0.8, RerunCost), Shadow("globex", "foreign", 0.3, 9_999));
        var source = _host.Factory.Services.GetRequiredService<QualityCalibrationSampleSource>();

        var acme = await source.GetSamplesAsync("acme", at.AddHours(-1), DateTimeOffset.UtcNow, Ct);
        var initech = await source.GetSamplesAsync("initech", at.AddHours(-1), DateTimeOffset.UtcNow, Ct);

        // slm cost: what the request cost; llm cost: the shadow re-run's, else the window's mean re-run cost (2,000 here).
        Assert.Equal(
            [
                new CalibrationSample(0.1, null, null, 1, SlmCost, RerunCost) { Source = "feedback" },
                new CalibrationSample(0.2, 0.81, null, 0.8, SlmCost, RerunCost) { Source = "judge" },
                new CalibrationSample(0.4, null, -0.7, 0.5, SlmCost, RerunCost) { Source = "feedback" },
                new CalibrationSample(0.6, null, null, 0, SlmCost, RerunCost) { Source = "feedback" },
            ],
            acme.OrderBy(s => s.NeedsLlmProbability));
        Assert.DoesNotContain(acme, s => s.Parity == 0.3); // globex's shadow result stays globex's
        Assert.Empty(initech); // rated, but nothing in its window says what the LLM path would have cost
        Assert.Equal((0.0, 0.5, 1.0), (QualityCalibrationSampleSource.RatingParity(-1), QualityCalibrationSampleSource.RatingParity(0), QualityCalibrationSampleSource.RatingParity(1)));
    }

    [Fact]
    public async Task RatedSlmAnswersWithoutAShadowRunAreCostedAtTheTenantsLlmTierRequestsWhenNothingWasReRun()
    {
        await _host.CreateTenantAsync("acme");
        var at = DateTimeOffset.UtcNow.AddMinutes(-10);
        await RecordAsync(Receipt("acme", "s", Route.Slm, 0.2, at), Receipt("acme", "l-1", Route.Llm, 0.9, at, cost: 3_000), Receipt("acme", "l-2", Route.Llm, 0.8, at, cost: 5_000));
        await RateAsync("acme", "s", 1);
        await RateAsync("acme", "l-1", -1);
        await RateAsync("acme", "l-2", 1);

        var samples = await _host.Factory.Services.GetRequiredService<QualityCalibrationSampleSource>().GetSamplesAsync("acme", at.AddHours(-1), DateTimeOffset.UtcNow, Ct);

        Assert.Equal([new CalibrationSample(0.2, null, null, 1, SlmCost, 4_000) { Source = "feedback" }], samples);
    }

    [Fact]
    public async Task AProposalFromRecordedShadowResultsIsApprovedAndTheConsoleShowsThresholdsHistoryAndCurve()
    {
        await _host.CreateTenantAsync("acme");
        await _host.CreateTenantAsync("globex");
        Assert.Equal(HttpStatusCode.OK, (await _host.PutPolicyAsync("acme", """{ "calibration": { "enabled": true, "target": "parity>=0.9" }, "thresholds": { "needs_llm": 0.95 } }""")).StatusCode);
        await RecordTrafficAsync("acme", 600, seed: 3);
        // Another tenant's perfect shadow results must not make acme's SLM answers look better.
        await RecordTrafficAsync("globex", 600, seed: 4, parity: _ => 1);

        await _host.Factory.Services.GetRequiredService<CalibrationJob>().RunOnceAsync(Ct);

        var proposal = Assert.Single((await _host.AdminGrpc.ListCalibrationProposalsAsync(new ListCalibrationProposalsRequest { TenantId = "acme" }, GovernanceHost.AdminHeaders, cancellationToken: Ct)).Proposals);
        Assert.Equal(ProposalState.Pending, proposal.State);
        var needsLlm = proposal.Signals.Single(s => s.Signal == "needs_llm");
        Assert.Equal(600, needsLlm.Samples);
        Assert.InRange(proposal.Proposed.NeedsLlm, 0.2, 0.9);
        Assert.True(needsLlm.Chosen.ParityLowerBound >= 0.9);

        using var approve = new HttpRequestMessage(HttpMethod.Post, new Uri($"/admin/tenants/acme/calibration/proposals/{proposal.Id}/approve", UriKind.Relative));
        approve.Headers.Add("x-admin-actor", "alice");
        Assert.Equal(HttpStatusCode.OK, (await _host.Admin.SendAsync(approve, Ct)).StatusCode);

        var insights = await _host.Factory.Services.GetRequiredService<ICalibrationInsights>().GetAsync("acme", Ct);
        Assert.NotNull(insights);
        Assert.Equal("parity>=0.9", insights.Target);
        Assert.Equal(
            [new ThresholdValue("needs_llm", proposal.Proposed.NeedsLlm), new ThresholdValue("faq_score", 0.7), new ThresholdValue("cascade_confidence", -1.2)],
            insights.Current);
        Assert.Equal(
            [("approved", "admin:alice", 0.95, proposal.Proposed.NeedsLlm), ("proposed", $"calibration proposal {proposal.Id}", 0.95, proposal.Proposed.NeedsLlm), ("set", "admin", 0.3, 0.95)],
            insights.History.Select(h => (h.Status, h.Actor, h.From!.Value, h.To)));
        var chosen = Assert.Single(insights.Curve, p => p.Chosen);
        Assert.Equal(needsLlm.Chosen.CostMicros / 1_000, chosen.CostPer1kUsd);
        Assert.Equal((needsLlm.Chosen.Parity, needsLlm.Chosen.LlmShare), (chosen.Parity, chosen.LlmShare));
        Assert.Equal(insights.Curve.OrderBy(p => p.CostPer1kUsd), insights.Curve);
        Assert.Null(await _host.Factory.Services.GetRequiredService<ICalibrationInsights>().GetAsync("globex", Ct));
        Assert.Null(await _host.Factory.Services.GetRequiredService<ICalibrationInsights>().GetAsync("nobody", Ct));

        using var console = _host.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using var login = await console.PostAsync(new Uri("/console/login", UriKind.Relative), new FormUrlEncodedContent([new("key", GovernanceHost.AdminKey)]), Ct);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await console.GetStringAsync(new Uri("/console/quality?tenant=acme", UriKind.Relative), Ct);

        Assert.Contains("Target: parity&gt;=0.9.", page, StringComparison.Ordinal);
        Assert.Contains($"""<tr data-threshold="needs_llm"><td>needs_llm</td><td class="num">{proposal.Proposed.NeedsLlm.ToString("0.###", CultureInfo.InvariantCulture)}</td></tr>""", page, StringComparison.Ordinal);
        Assert.Contains("<td>approved</td><td>admin:alice</td>", page, StringComparison.Ordinal);
        Assert.Contains($"""data-series="parity" data-x="{chosen.Label} (chosen)" """, page, StringComparison.Ordinal);
    }

    // Served on the SLM tier; the shadow judge finds the SLM answer worse the higher its needs-LLM probability.
    private async Task RecordTrafficAsync(string tenant, int count, int seed, Func<double, double>? parity = null)
    {
        var random = new Random(seed);
        var at = DateTimeOffset.UtcNow.AddMinutes(-30);
        parity ??= p => random.NextDouble() < 0.5 * p ? 0 : 1;
        var receipts = new List<RoutingReceipt>();
        var results = new List<ShadowResult>();
        for (var i = 0; i < count; i++)
        {
            var p = Math.Round(random.NextDouble(), 3);
            var id = $"{tenant}-{i.ToString(CultureInfo.InvariantCulture)}";
            receipts.Add(Receipt(tenant, id, Route.Slm, p, at));
            results.Add(Shadow(tenant, id, parity(p), RerunCost));
        }

        await RecordAsync([.. receipts]);
        await ShadowAsync([.. results]);
    }

    private static RoutingReceipt Receipt(string tenant, string id, Route route, double needsLlm, DateTimeOffset at, double? faqScore = null,
        double? meanLogprob = null, long cost = SlmCost)
    {
        var receipt = TestReceipts.Make(tenant, id, route, route == Route.Llm ? "gpt-4o" : "slm-intent", cost: cost, time: at);
        receipt.Signals.NeedsLlmProbability = needsLlm;
        if (faqScore is { } score)
        {
            receipt.Signals.FaqScore = score;
        }

        if (meanLogprob is { } logprob)
        {
            receipt.SlmMeanLogprob = logprob;
        }

        return receipt;
    }

    private static ShadowResult Shadow(string tenant, string id, double parity, long rerunCost) => new()
    {
        TenantId = tenant,
        RequestId = id,
        Judge = "gpt-4o",
        ShadowModel = "gpt-4o",
        Parity = parity,
        ShadowCostMicros = rerunCost,
        JudgeCostMicros = 40,
        Verdict = "VERDICT: " + parity.ToString(CultureInfo.InvariantCulture),
    };

    private async Task RecordAsync(params RoutingReceipt[] receipts)
    {
        var request = new RecordReceiptsRequest();
        request.Receipts.AddRange(receipts);
        Assert.Equal(receipts.Length, (await _host.Governance.RecordReceiptsAsync(request, cancellationToken: Ct)).Accepted);
    }

    private async Task ShadowAsync(params ShadowResult[] results)
    {
        var request = new RecordShadowResultsRequest();
        request.Results.AddRange(results);
        Assert.Equal(results.Length, (await _host.Governance.RecordShadowResultsAsync(request, cancellationToken: Ct)).Accepted);
    }

    private async Task RateAsync(string tenant, string id, int rating) =>
        await _host.Governance.SubmitFeedbackAsync(new SubmitFeedbackRequest { TenantId = tenant, RequestId = id, Rating = rating }, cancellationToken: Ct);
}
