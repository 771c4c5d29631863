using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HybridAI.Router.Telemetry;

/// <summary>
/// The router's traces and metrics (ActivitySource and Meter <c>HybridAI.Router</c>). Metric names match the Grafana
/// dashboard (docs/kubernetes.md, "Observe"): Prometheus sees <c>hybridai_router_requests_total</c>,
/// <c>hybridai_router_cost_usd_total</c>, <c>hybridai_router_baseline_cost_usd_total</c>,
/// <c>hybridai_router_request_duration_seconds</c>, <c>hybridai_router_escalations_total</c>,
/// <c>hybridai_router_fallbacks_total</c> and <c>hybridai_router_cache_hits_total</c>; shadow evaluation adds
/// <c>hybridai.router.shadow.*</c> (sampled, skipped, dropped, judged, parity, cost).
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
    private readonly Counter<long> _shadowSampled;
    private readonly Counter<long> _shadowSkipped;
    private readonly Counter<long> _shadowDropped;
    private readonly Counter<long> _shadowJudged;
    private readonly Histogram<double> _shadowParity;
    private readonly Counter<double> _shadowCost;

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
        _shadowSampled = _meter.CreateCounter<long>("hybridai.router.shadow.sampled", "{sample}", "Answers queued for shadow evaluation, by tenant");
        _shadowSkipped = _meter.CreateCounter<long>("hybridai.router.shadow.skipped", "{request}",
            "Eligible answers not sampled, by tenant and reason (data_class, local_only, budget, judge_not_allowed, no_target)");
        _shadowDropped = _meter.CreateCounter<long>("hybridai.router.shadow.dropped", "{sample}",
            "Shadow samples or results lost, by tenant and reason (queue_full, failed, unparseable_verdict, result_lost)");
        _shadowJudged = _meter.CreateCounter<long>("hybridai.router.shadow.judged", "{sample}", "Shadow samples judged, by tenant and judge");
        _shadowParity = _meter.CreateHistogram<double>("hybridai.router.shadow.parity", "1", "Judged parity (0..1) of served answers with the LLM tier, by tenant",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1] });
        _shadowCost = _meter.CreateCounter<double>("hybridai.router.shadow.cost", "usd", "What shadow re-runs and judging cost, by tenant");
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

    public void ShadowSampled(string tenant) => _shadowSampled.Add(1, new KeyValuePair<string, object?>("tenant", tenant));

    public void ShadowSkipped(string tenant, string reason) =>
        _shadowSkipped.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("reason", reason));

    public void ShadowDropped(string tenant, string reason, int count = 1) =>
        _shadowDropped.Add(count, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("reason", reason));

    public void ShadowJudged(string tenant, string judge, double parity, long costMicros)
    {
        _shadowJudged.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("judge", judge));
        _shadowParity.Record(parity, new KeyValuePair<string, object?>("tenant", tenant));
        _shadowCost.Add(costMicros / 1_000_000d, new KeyValuePair<string, object?>("tenant", tenant));
    }

    public void Dispose() => _meter.Dispose();
}
