using HybridAI.SlmInference.Models;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HybridAI.SlmInference.Health;

/// <summary>Ready when the models are loaded; reports the execution provider and every model in its data.</summary>
internal sealed class ModelsHealthCheck(ModelHost models) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ModelHost host = models;
        Core.Models.ModelRegistry registry;
        try
        {
            registry = host.Registry;
        }
        catch (InvalidOperationException e)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(e.Message));
        }

        var data = new Dictionary<string, object>
        {
            ["execution_provider"] = registry.Device.ExecutionProvider,
            ["encoders"] = string.Join(",", registry.Encoders.Keys),
            ["heads"] = string.Join(",", registry.Heads.Keys),
            ["generators"] = string.Join(",", registry.Generators.Keys),
            ["queued_texts"] = host.Batchers.Values.Sum(b => b.QueuedTexts),
        };
        if (registry.Device.FallbackReason is { } reason)
        {
            data["cuda_fallback"] = reason;
        }

        return Task.FromResult(HealthCheckResult.Healthy(
            $"{registry.Encoders.Count + registry.Heads.Count + registry.Generators.Count} models on {registry.Device.ExecutionProvider}", data));
    }
}
