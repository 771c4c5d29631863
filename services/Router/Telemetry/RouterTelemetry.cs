using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HybridAI.Router.Telemetry;

/// <summary>
/// The router's traces and metrics (ActivitySource and Meter <c>HybridAI.Router</c>). Metric names match the Grafana
/// dashboard (docs/kubernetes.md, "Observe"): Prometheus sees <c>hybridai_router_requests_total</c>,
/// <c>hybridai_router_cost_usd_total</c>, <c>hybridai_router_baseline_cost_usd_total</c>,
/// <c>hybridai_router_request_duration_seconds</c>, <c>hybridai_router_escalations_total</c>,
/// <c>hybridai_router_fallbacks_total</c> and <c>hybridai_router_cache_hits_total</c>.
/// </summary>
public sealed class RouterTelemetry : IDisposable
{
    public const string Name = "HybridAI.Router";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<double> _cost;
    private readonly Counter<double> _baseline;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _fallbacks;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _unreserved;
    private readonly Counter<long> _policyReloads;

    public RouterTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _requests = _meter.CreateCounter<long>("hybridai.router.requests", "{request}", "Routed requests by route, model and tenant");
        _cost = _meter.CreateCounter<double>("hybridai.router.cost", "usd", "Actual cost of routed requests");
        _baseline = _meter.CreateCounter<double>("hybridai.router.baseline_cost", "usd", "What the same requests would have cost on the LLM baseline");
        _duration = _meter.CreateHistogram<double>("hybridai.router.request.duration", "s", "Routed request duration by route",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        _escalations = _meter.CreateCounter<long>("hybridai.router.escalations", "{request}", "SLM answers escalated to the LLM tier");
        _fallbacks = _meter.CreateCounter<long>("hybridai.router.fallbacks", "{request}", "Requests served by a later target than the first");
        _cacheHits = _meter.CreateCounter<long>("hybridai.router.cache.hits", "{request}", "Requests answered from the cache, by kind (exact, semantic)");
        _unreserved = _meter.CreateCounter<long>("hybridai.router.budget.unreserved", "{request}", "LLM calls let through without a reservation (fail-open)");
        _policyReloads = _meter.CreateCounter<long>("hybridai.router.policy.reloads", "{reload}", "Policy reloads by result (applied, refused)");
    }

    public static ActivitySource Source { get; } = new(Name);

    public void RequestFinished(string route, string model, string tenant, TimeSpan duration, long costMicros, long baselineMicros)
    {
        var tags = new TagList { { "route", route }, { "model", model }, { "tenant", tenant } };
        _requests.Add(1, tags);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("route", route));
        var money = new TagList { { "tenant", tenant }, { "model", model } };
        _cost.Add(costMicros / 1_000_000d, money);
        _baseline.Add(baselineMicros / 1_000_000d, money);
    }

    public void Escalated(string tenant) => _escalations.Add(1, new KeyValuePair<string, object?>("tenant", tenant));

    public void FellBack(string tenant) => _fallbacks.Add(1, new KeyValuePair<string, object?>("tenant", tenant));

    public void CacheHit(string tenant, string kind) =>
        _cacheHits.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("kind", kind));

    public void BudgetUnreserved(string tenant) => _unreserved.Add(1, new KeyValuePair<string, object?>("tenant", tenant));

    public void PolicyReloaded(bool applied) => _policyReloads.Add(1, new KeyValuePair<string, object?>("result", applied ? "applied" : "refused"));

    public void Dispose() => _meter.Dispose();
}
