using System.Diagnostics.Metrics;

namespace HybridAI.Edge.Telemetry;

/// <summary>The edge's metrics (meter <c>HybridAI.Edge</c>): requests it answered itself, by reason.</summary>
public sealed class EdgeTelemetry : IDisposable
{
    public const string Name = "HybridAI.Edge";

    private readonly Meter _meter;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _rateLimitFailOpen;

    public EdgeTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _refusals = _meter.CreateCounter<long>("hybridai.edge.refusals", "{request}",
            "Requests the edge answered itself instead of forwarding (authentication, limits, upstream failures).");
        _rateLimitFailOpen = _meter.CreateCounter<long>("hybridai.edge.rate_limit.fail_open", "{request}",
            "Requests let through without a rate-limit decision because governance could not answer.");
    }

    public void Refused(string code, int status) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("error.type", code), new KeyValuePair<string, object?>("http.response.status_code", status));

    public void RateLimitFailedOpen() => _rateLimitFailOpen.Add(1);

    public void Dispose() => _meter.Dispose();
}
