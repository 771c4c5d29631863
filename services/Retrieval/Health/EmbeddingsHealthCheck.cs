using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HybridAI.Retrieval.Health;

/// <summary>
/// slm-inference reachability (ListModels, 2 s deadline, answer kept 10 s). Degraded, not Unhealthy, when it fails:
/// keyword search, listing and deleting still work, and taking retrieval out of service because a dependency is down
/// would only spread the outage.
/// </summary>
public sealed class EmbeddingsHealthCheck(InferenceService.InferenceServiceClient client, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan Keep = TimeSpan.FromSeconds(10);
    private Cached? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (_last is { } last && now - last.At < Keep)
        {
            return last.Result;
        }

        HealthCheckResult result;
        try
        {
            var models = await client.ListModelsAsync(new ListModelsRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
            result = HealthCheckResult.Healthy($"slm-inference answers ({models.Models.Count(m => m.Kind == ModelKind.Encoder)} encoders)");
        }
        catch (RpcException e)
        {
            result = HealthCheckResult.Degraded($"slm-inference does not answer ({e.StatusCode}); ingestion, vector search and FAQ matching fail until it does", e);
        }

        _last = new Cached(now, result);
        return result;
    }

    /// <summary>A reference, so concurrent probes replace it atomically.</summary>
    private sealed record Cached(DateTimeOffset At, HealthCheckResult Result);
}
