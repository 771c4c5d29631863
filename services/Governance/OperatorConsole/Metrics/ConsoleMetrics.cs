using System.Diagnostics.Metrics;
using HybridAI.Governance.OperatorConsole.Data;

namespace HybridAI.Governance.OperatorConsole.Metrics;

/// <summary>
/// Everything the console shows, as OpenTelemetry metrics on the <c>HybridAI.Governance</c> meter (docs/governance.md,
/// "Console"): ledger-wide counters by tenant, route and model; a latency histogram by route; and gauges over the
/// last <c>Governance:Console:MetricsWindowHours</c> for savings, route mix, latency percentiles, budget use and the
/// ledger's verification. Every replica reads the same ledger, so dashboards aggregate replicas with <c>max</c>.
/// </summary>
public sealed class ConsoleMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly Histogram<double> _latency;
    private readonly LedgerTotals _totals;
    private readonly LedgerMonitor _ledger;
    private Window _window = new(null, []);

    /// <summary>The last window computed by <see cref="ConsoleMetricsRefresher"/>.</summary>
    public sealed record Window(ConsoleOverview? Overview, IReadOnlyList<TenantBudget> Budgets);

    public ConsoleMetrics(IMeterFactory meters, LedgerTotals totals, LedgerMonitor ledger)
    {
        _totals = totals;
        _ledger = ledger;
        _meter = meters.Create(GovernanceTelemetry.Name);
        _meter.CreateObservableCounter("hybridai.governance.requests", () => Totals(t => t.Requests), "{request}",
            "Receipts in the ledger by tenant, route and model");
        _meter.CreateObservableCounter("hybridai.governance.cost", () => Totals(t => t.CostMicros / 1_000_000d), "usd",
            "Actual cost of the ledger's receipts by tenant, route and model");
        _meter.CreateObservableCounter("hybridai.governance.baseline_cost", () => Totals(t => t.BaselineMicros / 1_000_000d), "usd",
            "What the same receipts would have cost on the all-LLM baseline");
        _latency = _meter.CreateHistogram<double>("hybridai.governance.request.duration", "s", "Latency of receipts as they reach the ledger, by route",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });

        _meter.CreateObservableGauge("hybridai.governance.window.savings", () => Gauge(o => o.Totals.SavingsUsd), "usd",
            "Baseline minus actual cost over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.window.savings_ratio", () => Gauge(o => o.Totals.SavingsRatio), "1",
            "Savings as a share of the baseline over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.window.requests", WindowRequests, "{request}", "Requests by route over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.window.latency", WindowLatency, "ms",
            "Nearest-rank latency percentiles (quantile 0.5, 0.95, 0.99) by route over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.budget.used", () => Budgets(b => b.UsedRatio), "1",
            "Spent plus reserved as a share of the limit, per tenant and budget period");
        _meter.CreateObservableGauge("hybridai.governance.budget.spent", () => Budgets(b => b.SpentUsd), "usd", "Spent in the current period");
        _meter.CreateObservableGauge("hybridai.governance.budget.limit", () => Budgets(b => b.LimitUsd), "usd", "The period's limit");
        _meter.CreateObservableGauge("hybridai.governance.ledger.valid", LedgerValid, "{status}",
            "1 when the last verification found the hash chain intact, 0 when broken (absent before the first)");
        _meter.CreateObservableGauge("hybridai.governance.ledger.records", () => _ledger.Status.Records, "{record}", "Records in the ledger at the last verification");
    }

    public void Publish(Window window) => Volatile.Write(ref _window, window);

    /// <summary>Records a newly appended receipt's latency (called once per receipt by the refresher).</summary>
    public void RecordLatency(string route, long latencyMs) =>
        _latency.Record(latencyMs / 1000d, new KeyValuePair<string, object?>("route", route));

    private IEnumerable<Measurement<T>> Totals<T>(Func<(string Tenant, string Route, string Model, long Requests, long CostMicros, long BaselineMicros), T> value)
        where T : struct =>
        _totals.Snapshot().Select(t => new Measurement<T>(value(t),
            new KeyValuePair<string, object?>("tenant", t.Tenant), new KeyValuePair<string, object?>("route", t.Route),
            new KeyValuePair<string, object?>("model", t.Model.Length == 0 ? "(none)" : t.Model)));

    private IEnumerable<Measurement<double>> Gauge(Func<ConsoleOverview, double> value) =>
        Volatile.Read(ref _window).Overview is { } o ? [new Measurement<double>(value(o))] : [];

    private IEnumerable<Measurement<long>> WindowRequests()
    {
        if (Volatile.Read(ref _window).Overview is not { } o)
        {
            yield break;
        }

        foreach (var (route, n) in new[] { ("slm", o.Totals.Slm), ("llm", o.Totals.Llm), ("cache", o.Totals.Cache), ("blocked", o.Totals.Blocked) })
        {
            yield return new Measurement<long>(n, new KeyValuePair<string, object?>("route", route));
        }
    }

    private IEnumerable<Measurement<double>> WindowLatency()
    {
        foreach (var l in Volatile.Read(ref _window).Overview?.LatencyByRoute ?? [])
        {
            foreach (var (quantile, ms) in new[] { ("0.5", l.P50Ms), ("0.95", l.P95Ms), ("0.99", l.P99Ms) })
            {
                yield return new Measurement<double>(ms, new KeyValuePair<string, object?>("route", l.Route), new KeyValuePair<string, object?>("quantile", quantile));
            }
        }
    }

    private IEnumerable<Measurement<double>> Budgets(Func<TenantBudget, double> value) =>
        Volatile.Read(ref _window).Budgets.Select(b => new Measurement<double>(value(b),
            new KeyValuePair<string, object?>("tenant", b.Tenant), new KeyValuePair<string, object?>("period", b.Period)));

    private IEnumerable<Measurement<int>> LedgerValid() =>
        _ledger.Status is { Checked: true } s ? [new Measurement<int>(s.Valid ? 1 : 0)] : [];

    public void Dispose() => _meter.Dispose();
}
