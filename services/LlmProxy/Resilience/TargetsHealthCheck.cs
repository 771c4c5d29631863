using HybridAI.LlmProxy.Catalogue;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HybridAI.LlmProxy.Resilience;

/// <summary>
/// Degraded while any target's circuit is open, naming them. Never Unhealthy: the proxy still serves the other
/// targets and answers clear errors for the rest, so it must stay in rotation.
/// </summary>
internal sealed class TargetsHealthCheck(ModelCatalogue catalogue, TargetPipelines pipelines) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var open = catalogue.Entries.Where(e => pipelines.For(e).CircuitState != "closed").Select(e => e.Id).ToList();
        return Task.FromResult(open.Count == 0
            ? HealthCheckResult.Healthy($"{catalogue.Entries.Count} targets, all circuits closed")
            : HealthCheckResult.Degraded($"circuit open or half-open for {string.Join(", ", open)}"));
    }
}
