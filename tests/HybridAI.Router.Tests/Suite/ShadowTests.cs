using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;
using HybridAI.Router.Shadow;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Shadow evaluation on <see cref="HybridSuite.ShadowRouter"/>: answers served from the cache are re-run on the primary
/// and judged by the backup in the background. Each test's first request goes to the LLM tier (and is cached); the
/// repeats are cache hits, the SLM-side answers the sample is drawn from. Metrics are read from the router's meter.
/// </summary>
public sealed class ShadowTests : IDisposable
{
    private readonly HybridSuite _suite;
    private readonly MeterListener _meters = new();
    private readonly ConcurrentDictionary<(string Instrument, string Tenant, string Reason), long> _counts = new();

    public ShadowTests(HybridSuite suite)
    {
        _suite = suite;
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "HybridAI.Router" && instrument.Name.StartsWith("hybridai.router.shadow.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string tenant = "", reason = "";
            foreach (var tag in tags)
            {
                tenant = tag.Key == "tenant" ? tag.Value as string ?? "" : tenant;
                reason = tag.Key == "reason" ? tag.Value as string ?? "" : reason;
            }

            _counts.AddOrUpdate((instrument.Name, tenant, reason), value, (_, n) => n + value);
        });
        _meters.Start();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _meters.Dispose();

    [Fact]
    public async Task CacheHitIsReRunOnTheLlmTierAndTheJudgesVerdictIsRecordedWithItsReceipt()
    {
        using var http = Client(HybridSuite.ShadowedTenant);
        var probe = new QualityProbe(_suite, HybridSuite.ShadowedTenant);
        var prompt = $"{Marker()} Explain in two sentences why the sky is blue.";
        var (first, _) = await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());
        var id = QualityProbe.NewId();
        var (hit, _) = await QualityProbe.ChatAsync(http, prompt, id);

        var observed = (await probe.WaitForShadowResultsAsync([id]))[id];

        Assert.Equal("llm", first.Route);
        Assert.Equal("cache", hit.Route);
        Assert.Equal(HybridSuite.JudgeParity, observed.GetProperty("shadow_parity").GetDouble());
        Assert.Equal(HybridSuite.BackupModel, observed.GetProperty("judge").GetString());
        Assert.Equal("cache", observed.GetProperty("tier").GetString());
        Assert.True(observed.GetProperty("llm_cost_micros").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, observed.GetProperty("rating").ValueKind);
        Assert.Single(_suite.Backup.Requests, r => r.Body.Contains("REFERENCE ANSWER:", StringComparison.Ordinal) && r.Body.Contains(prompt, StringComparison.Ordinal));
        Assert.Equal(2, _suite.Primary.Requests.Count(r => r.Body.Contains(prompt, StringComparison.Ordinal)));
        var report = await probe.ReportAsync();
        var cache = QualityProbe.Row(report, "quality_by_tier", "cache");
        Assert.Equal(1, QualityProbe.Figure(cache, "shadow_judged"));
        Assert.Equal(HybridSuite.JudgeParity, cache.GetProperty("shadow_parity").GetDouble());
        Assert.Equal(1, Count("hybridai.router.shadow.judged", HybridSuite.ShadowedTenant));
        await AssertConsoleShowsAsync(HybridSuite.ShadowedTenant, "cache", HybridSuite.JudgeParity);
    }

    [Fact]
    public async Task StreamedCacheHitIsShadowEvaluatedToo()
    {
        using var http = Client(HybridSuite.ShadowRedactTenant);
        var probe = new QualityProbe(_suite, HybridSuite.ShadowRedactTenant);
        var prompt = $"{Marker()} Describe a good on-call handover in two sentences.";
        await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());
        var id = QualityProbe.NewId();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "hybrid-auto", stream = true, messages = new[] { new { role = "user", content = prompt } } }),
        };
        request.Headers.Add("x-request-id", id);

        using var response = await http.SendAsync(request, Ct);
        var events = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("cache", string.Join(",", response.Headers.GetValues("x-hybridai-route")));
        Assert.Contains(HybridSuite.PrimaryAnswer, events, StringComparison.Ordinal);
        var observed = (await probe.WaitForShadowResultsAsync([id]))[id];
        Assert.Equal(HybridSuite.JudgeParity, observed.GetProperty("shadow_parity").GetDouble());
    }

    [Fact]
    public async Task OnlyTheTenantsSampleRateOfServedAnswersIsReRun()
    {
        using var http = Client(HybridSuite.ShadowRateTenant);
        var probe = new QualityProbe(_suite, HybridSuite.ShadowRateTenant);
        var prompt = $"{Marker()} Give one tip for writing clear commit messages.";
        await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());
        var ids = Enumerable.Range(0, 40).Select(_ => QualityProbe.NewId()).ToList();
        var expected = ids.Where(id => ShadowSampling.Selects(id, HybridSuite.ShadowRate)).ToList();
        Assert.InRange(expected.Count, 1, ids.Count - 1); // 40 draws at 0.5: all or none is a 2^-39 event

        foreach (var id in ids)
        {
            var (hit, _) = await QualityProbe.ChatAsync(http, prompt, id);
            Assert.Equal("cache", hit.Route);
            if (expected.Contains(id))
            {
                // One at a time: the suite's shadow queue holds one sample.
                await probe.WaitForShadowResultsAsync([id]);
            }
        }

        var observed = await probe.ObservationsAsync();
        Assert.Equal(expected.Order(), observed.Keys.Order());
        Assert.Equal(expected.Count, Count("hybridai.router.shadow.sampled", HybridSuite.ShadowRateTenant));
        Assert.Equal(0, Count("hybridai.router.shadow.dropped", HybridSuite.ShadowRateTenant));
    }

    [Fact]
    public async Task SamplingStopsWhenTheTenantsShadowBudgetIsSpent()
    {
        using var http = Client(HybridSuite.ShadowBudgetTenant);
        var probe = new QualityProbe(_suite, HybridSuite.ShadowBudgetTenant);
        var prompt = $"{Marker()} {HybridSuite.CostlyMarker} List two benefits of code review.";
        await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());
        var ids = Enumerable.Range(0, 4).Select(_ => QualityProbe.NewId()).ToList();
        _suite.CostlyPrimary = true;
        try
        {
            await ServeCacheHitsAsync(http, probe, prompt, ids);
        }
        finally
        {
            _suite.CostlyPrimary = false;
        }

        Assert.Equal(2, Count("hybridai.router.shadow.sampled", HybridSuite.ShadowBudgetTenant));
        Assert.Equal(2, Count("hybridai.router.shadow.skipped", HybridSuite.ShadowBudgetTenant, "budget"));
        Assert.Equal(3, _suite.Primary.Requests.Count(r => r.Body.Contains(prompt, StringComparison.Ordinal))); // the original and two re-runs
        var observed = await probe.ObservationsAsync();
        Assert.Equal(ids.Take(2).Order(), observed.Keys.Order());
        Assert.All(observed.Values, o => Assert.Equal(12_500, o.GetProperty("llm_cost_micros").GetInt64()));
    }

    [Fact]
    public async Task AnswersOfALocalOnlyTenantNeverLeaveForAShadowRun()
    {
        using var http = Client(HybridSuite.LocalOnlyTenant);
        var prompt = $"{Marker()} Suggest a name for a team wiki.";
        await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());

        var (hit, _) = await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());

        Assert.Equal("cache", hit.Route);
        Assert.Equal(1, Count("hybridai.router.shadow.skipped", HybridSuite.LocalOnlyTenant, "local_only"));
        Assert.Equal(0, Count("hybridai.router.shadow.sampled", HybridSuite.LocalOnlyTenant));
        Assert.Single(_suite.Primary.Requests, r => r.Body.Contains(prompt, StringComparison.Ordinal));
        Assert.DoesNotContain(_suite.Backup.Requests, r => r.Body.Contains(prompt, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedactModeTenantsShadowRunAndJudgeSeeOnlyRedactedText()
    {
        using var http = Client(HybridSuite.ShadowRedactTenant);
        var probe = new QualityProbe(_suite, HybridSuite.ShadowRedactTenant);
        const string Url = "https://intranet.example.com/reports/q3-forecast";
        var marker = Marker();
        var prompt = $"{marker} Summarise what the page {Url} is likely about in one sentence.";
        await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());
        var id = QualityProbe.NewId();
        var (hit, _) = await QualityProbe.ChatAsync(http, prompt, id);
        Assert.Equal("cache", hit.Route);

        await probe.WaitForShadowResultsAsync([id]);

        var rerun = _suite.Primary.Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rerun.Count);
        Assert.DoesNotContain(Url, rerun[^1].Body, StringComparison.Ordinal);
        Assert.Contains("<URL_1>", rerun[^1].Body, StringComparison.Ordinal);
        var judged = Assert.Single(_suite.Backup.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(Url, judged.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowShadowRunsNeverDelayTheUserAndAFullQueueDropsSamples()
    {
        using var http = Client(HybridSuite.ShadowSlowTenant);
        var probe = new QualityProbe(_suite, HybridSuite.ShadowSlowTenant);
        var prompt = $"{Marker()} {HybridSuite.SlowMarker} List two ways to speed up a slow test suite.";
        await QualityProbe.ChatAsync(http, prompt, QualityProbe.NewId());
        var ids = Enumerable.Range(0, 4).Select(_ => QualityProbe.NewId()).ToList();
        _suite.SlowPrimary = true;
        try
        {
            foreach (var id in ids)
            {
                var (hit, elapsed) = await QualityProbe.ChatAsync(http, prompt, id);
                Assert.Equal("cache", hit.Route);
                Assert.True(elapsed < HybridSuite.SlowDelay, $"a cache hit took {elapsed} while its shadow run takes {HybridSuite.SlowDelay}");
            }

            // One sample runs, one waits in the queue of one: the rest are dropped, not waited for.
            var sampled = Count("hybridai.router.shadow.sampled", HybridSuite.ShadowSlowTenant);
            var dropped = Count("hybridai.router.shadow.dropped", HybridSuite.ShadowSlowTenant, "queue_full");
            Assert.Equal(ids.Count, sampled + dropped);
            Assert.InRange(dropped, 1, ids.Count - 1);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await probe.ObservationsAsync()).Count < sampled)
            {
                Assert.True(DateTime.UtcNow < deadline, "the slow shadow runs did not finish in 30 s");
                await Task.Delay(100, Ct);
            }
        }
        finally
        {
            _suite.SlowPrimary = false;
        }
    }

    private static async Task ServeCacheHitsAsync(HttpClient http, QualityProbe probe, string prompt, List<string> ids)
    {
        // Each re-run costs 12,500 micro-dollars: the first two fit the 20,000 budget, then sampling stops.
        foreach (var id in ids.Take(2))
        {
            var (hit, _) = await QualityProbe.ChatAsync(http, prompt, id);
            Assert.True(hit.Route == "cache", hit.Json.ToString());
            await probe.WaitForShadowResultsAsync([id]);
        }

        foreach (var id in ids.Skip(2))
        {
            var (hit, _) = await QualityProbe.ChatAsync(http, prompt, id);
            Assert.Equal("cache", hit.Route);
        }
    }

    /// <summary>
    /// A unique marker of letters only: a random case number can read as a phone number, and confidential data is
    /// never cached (so never a cache hit to sample).
    /// </summary>
    private static string Marker() => $"Topic {string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('a' + Random.Shared.Next(26))))}.";

    /// <summary>The console's quality view (page and JSON) shows the parity recorded for <paramref name="tier"/>.</summary>
    private async Task AssertConsoleShowsAsync(string tenant, string tier, double parity)
    {
        using var handler = new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() };
        using var console = new HttpClient(handler) { BaseAddress = _suite.Governance.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var login = await console.PostAsync(new Uri("/console/login", UriKind.Relative), new FormUrlEncodedContent([new("key", HybridSuite.AdminKey)]), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, login.StatusCode);

        var json = await console.GetFromJsonAsync<JsonElement>(new Uri($"/console/api/quality?tenant={tenant}&range=1h", UriKind.Relative), Ct);
        var row = json.GetProperty("byTier").EnumerateArray().Single(r => r.GetProperty("key").GetString() == tier);
        Assert.Equal(parity, row.GetProperty("shadowParity").GetDouble());
        var page = await console.GetStringAsync(new Uri($"/console/quality?tenant={tenant}&range=1h", UriKind.Relative), Ct);
        Assert.Contains($"data-series=\"shadow parity\" data-x=\"{tier}\" data-value=\"{(parity * 100).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}\"", page, StringComparison.Ordinal);
    }

    private HttpClient Client(string tenant)
    {
        var http = new HttpClient { BaseAddress = _suite.ShadowRouter.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("x-hybridai-tenant", tenant);
        return http;
    }

    private long Count(string instrument, string tenant, string? reason = null) =>
        _counts.Where(c => c.Key.Instrument == instrument && c.Key.Tenant == tenant && (reason is null || c.Key.Reason == reason)).Sum(c => c.Value);
}
