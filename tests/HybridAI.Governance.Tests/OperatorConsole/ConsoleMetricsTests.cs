using System.Diagnostics.Metrics;
using HybridAI.Governance.OperatorConsole.Data;
using HybridAI.Governance.OperatorConsole.Metrics;
using HybridAI.Governance.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HybridAI.Governance.Tests.OperatorConsole;

/// <summary>Dashboard parity: what the console shows is exported on the HybridAI.Governance meter with the same figures.</summary>
public sealed class ConsoleMetricsTests : IAsyncLifetime
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private T Service<T>() where T : notnull => _host.Factory.Services.GetRequiredService<T>();

    public async ValueTask InitializeAsync()
    {
        await ConsoleScenario.SeedAsync(_host.Governance, _host.CreateTenantAsync, _host.PutPolicyAsync, Ct);
        await Service<LedgerMonitor>().VerifyAsync(Ct);
    }

    private MetricCollector<T> Collect<T>(string name) where T : struct =>
        new(Service<IMeterFactory>(), GovernanceTelemetry.Name, name);

    [Fact]
    public async Task ExportsLedgerTotalsByTenantRouteAndModel()
    {
        using var requests = Collect<long>("hybridai.governance.requests");
        using var cost = Collect<double>("hybridai.governance.cost");
        using var baseline = Collect<double>("hybridai.governance.baseline_cost");

        await Service<ConsoleMetricsRefresher>().RefreshAsync(Ct);
        requests.RecordObservableInstruments();
        cost.RecordObservableInstruments();
        baseline.RecordObservableInstruments();

        static string Key(IReadOnlyDictionary<string, object?> tags) => $"{tags["tenant"]}/{tags["route"]}/{tags["model"]}";
        var counts = requests.GetMeasurementSnapshot().ToDictionary(m => Key(m.Tags), m => m.Value);
        Assert.Equal(1, counts["acme/llm/gpt-4o-mini"]);
        Assert.Equal(1, counts["globex/blocked/(none)"]);
        Assert.Equal(6, counts.Values.Sum());
        Assert.Equal(0.0034, cost.GetMeasurementSnapshot().Sum(m => m.Value), 12);
        Assert.Equal(0.009, baseline.GetMeasurementSnapshot().Sum(m => m.Value), 12);
        Assert.Equal(0.0025, cost.GetMeasurementSnapshot().Single(m => Key(m.Tags) == "globex/llm/gpt-4o").Value, 12);
    }

    [Fact]
    public async Task RecordsTheLatencyOfReceiptsAppendedAfterStart()
    {
        using var latency = Collect<double>("hybridai.governance.request.duration");
        using var requests = Collect<long>("hybridai.governance.requests");
        await Service<ConsoleMetricsRefresher>().RefreshAsync(Ct);
        // Whether the seeded receipts reached the histogram depends on when the background refresh first ran.
        latency.Clear();

        var late = Ledger.TestReceipts.Make("acme", "late-1", Contracts.Common.V1.Route.Llm, "gpt-4o", cost: 100, latencyMs: 640, time: DateTimeOffset.UtcNow);
        await _host.Governance.RecordReceiptsAsync(new Contracts.Governance.V1.RecordReceiptsRequest { Receipts = { late } }, cancellationToken: Ct);
        await Service<ConsoleMetricsRefresher>().RefreshAsync(Ct);
        requests.RecordObservableInstruments();

        var measurement = Assert.Single(latency.GetMeasurementSnapshot());
        Assert.Equal(0.64, measurement.Value, 9);
        Assert.Equal("llm", measurement.Tags["route"]);
        Assert.Equal(7, requests.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task ExportsTheQualityViewsFiguresByTierAsGauges()
    {
        using var parity = Collect<double>("hybridai.governance.window.shadow_parity");
        using var judged = Collect<double>("hybridai.governance.window.shadow_judged");
        using var positive = Collect<double>("hybridai.governance.window.feedback_positive_share");
        using var mean = Collect<double>("hybridai.governance.window.feedback_rating_mean");
        foreach (var (tenant, id, rating) in new[] { ("acme", "a-1", 1), ("acme", "a-2", -1), ("globex", "g-1", 1) })
        {
            await _host.Governance.SubmitFeedbackAsync(new Contracts.Governance.V1.SubmitFeedbackRequest { TenantId = tenant, RequestId = id, Rating = rating }, cancellationToken: Ct);
        }

        await _host.Governance.RecordShadowResultsAsync(new Contracts.Governance.V1.RecordShadowResultsRequest
        {
            Results =
            {
                new Contracts.Governance.V1.ShadowResult { TenantId = "acme", RequestId = "a-1", Judge = "gpt-4o", Parity = 0.9 },
                new Contracts.Governance.V1.ShadowResult { TenantId = "globex", RequestId = "g-1", Judge = "gpt-4o", Parity = 0.5 },
            },
        }, cancellationToken: Ct);

        await Service<ConsoleMetricsRefresher>().RefreshAsync(Ct);
        foreach (var collector in new[] { parity, judged, positive, mean })
        {
            collector.RecordObservableInstruments();
        }

        static Dictionary<string, double> ByTier(MetricCollector<double> c) =>
            c.GetMeasurementSnapshot().GroupBy(m => (string)m.Tags["tier"]!).ToDictionary(g => g.Key, g => g.Last().Value);
        Assert.Equal(0.7, ByTier(parity)["slm"], 9);
        Assert.False(ByTier(parity).ContainsKey("llm")); // nothing judged there: no measurement, not a zero
        Assert.Equal(2, ByTier(judged)["slm"]);
        Assert.Equal(1, ByTier(positive)["slm"]);
        Assert.Equal(0, ByTier(positive)["llm"]);
        Assert.Equal(-1, ByTier(mean)["llm"]);
    }

    [Fact]
    public async Task ExportsTheWindowBudgetsAndLedgerStatusAsGauges()
    {
        using var savings = Collect<double>("hybridai.governance.window.savings");
        using var routes = Collect<long>("hybridai.governance.window.requests");
        using var percentiles = Collect<double>("hybridai.governance.window.latency");
        using var budget = Collect<double>("hybridai.governance.budget.used");
        using var valid = Collect<int>("hybridai.governance.ledger.valid");

        await Service<ConsoleMetricsRefresher>().RefreshAsync(Ct);
        foreach (var collector in new IDisposable[] { savings, routes, percentiles, budget, valid })
        {
            switch (collector)
            {
                case MetricCollector<double> d: d.RecordObservableInstruments(); break;
                case MetricCollector<long> l: l.RecordObservableInstruments(); break;
                case MetricCollector<int> i: i.RecordObservableInstruments(); break;
            }
        }

        Assert.Equal(0.0056, savings.LastMeasurement!.Value, 12);
        Assert.Equal(2, routes.GetMeasurementSnapshot().Single(m => (string?)m.Tags["route"] == "slm").Value);
        Assert.Equal(1200, percentiles.GetMeasurementSnapshot().Single(m => (string?)m.Tags["route"] == "llm" && (string?)m.Tags["quantile"] == "0.95").Value);
        var acme = budget.GetMeasurementSnapshot().Single(m => (string?)m.Tags["tenant"] == "acme");
        Assert.Equal(0.25, acme.Value, 9);
        Assert.Equal("day", acme.Tags["period"]);
        Assert.Equal(1, valid.LastMeasurement!.Value);
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }
}
