using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HybridAI.Retrieval.Sample;

/// <summary>Unhealthy while the sample knowledge base is loading, so callers that wait for readiness find it loaded.</summary>
public sealed class SampleKnowledgeBaseHealthCheck(SampleKnowledgeBaseLoader loader) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(loader.Loaded == true
            ? HealthCheckResult.Healthy("sample knowledge base loaded or not requested")
            : HealthCheckResult.Unhealthy($"loading the sample knowledge base{(loader.LastError is { } e ? $" ({e})" : "")}"));
}
