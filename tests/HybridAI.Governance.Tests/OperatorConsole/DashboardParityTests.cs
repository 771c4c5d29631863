using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.RegularExpressions;
using HybridAI.Governance.OperatorConsole.Metrics;
using HybridAI.Governance.Tests.Api;
using HybridAI.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Governance.Tests.OperatorConsole;

/// <summary>The Grafana dashboard queries only metrics governance really exports, under their Prometheus names.</summary>
public sealed partial class DashboardParityTests
{
    [Fact]
    public async Task EveryGovernanceMetricOnTheGrafanaDashboardIsExported()
    {
        using var host = new GovernanceHost();
        var exported = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == GovernanceTelemetry.Name)
                {
                    exported.Add(PrometheusName(instrument));
                }
            },
        };
        _ = host.Factory.Services.GetRequiredService<ConsoleMetrics>();
        await host.Factory.Services.GetRequiredService<ConsoleMetricsRefresher>().RefreshAsync(TestContext.Current.CancellationToken);
        listener.Start();

        var dashboard = await File.ReadAllTextAsync(Path.Combine(SharedDatasets.RepositoryRoot(), "docs", "grafana", "hybridai-dashboard.json"), TestContext.Current.CancellationToken);
        var queried = JsonDocument.Parse(dashboard).RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!))
            .SelectMany(e => GovernanceMetric().Matches(e).Select(m => m.Value))
            .Select(n => Regex.Replace(n, "_(bucket|count|sum)$", ""))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(queried.Count >= 10, $"the dashboard queries only {queried.Count} governance metrics");
        Assert.Empty(queried.Except(exported));
    }

    /// <summary>The OpenTelemetry-to-Prometheus name: dots to underscores, the unit as a suffix, <c>_total</c> on counters.</summary>
    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        var suffix = instrument.Unit switch
        {
            "usd" => "_usd",
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "1" => "_ratio",
            _ => "",
        };
        if (!name.EndsWith(suffix, StringComparison.Ordinal))
        {
            name += suffix;
        }

        var monotonic = instrument.GetType().Name.StartsWith("Counter", StringComparison.Ordinal) || instrument.GetType().Name.StartsWith("ObservableCounter", StringComparison.Ordinal);
        return monotonic ? name + "_total" : name;
    }

    [GeneratedRegex("hybridai_governance_[a-z_]+")]
    private static partial Regex GovernanceMetric();
}
