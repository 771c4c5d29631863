using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.LlmProxy.Resilience;

/// <summary>A <see cref="TargetPipeline"/> per catalogue entry, made once so each target keeps its own breaker.</summary>
public sealed class TargetPipelines
{
    private readonly FrozenDictionary<string, TargetPipeline> _pipelines;

    public TargetPipelines(ModelCatalogue catalogue, IOptions<LlmProxyOptions> options, LlmProxyTelemetry telemetry, ILogger<TargetPipeline> logger)
    {
        _pipelines = catalogue.Entries.ToFrozenDictionary(
            e => e.Id, e => new TargetPipeline(e, options.Value.Resilience, telemetry, logger), StringComparer.Ordinal);
        telemetry.Meter.CreateObservableGauge(
            "hybridai.llm_proxy.circuit_breaker.state",
            () => _pipelines.Values.Select(p => new Measurement<int>(p.CircuitStateValue, new KeyValuePair<string, object?>("hybridai.llm_proxy.target", p.Entry.Id))),
            "{state}",
            "Circuit breaker state per target: 0 closed, 1 half-open, 2 open.");
    }

    public TargetPipeline For(CatalogueEntry entry) => _pipelines[entry.Id];
}
