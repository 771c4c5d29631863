using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval;

/// <summary>The embedded store's folder exists and is writable (only checked when the embedded store is in use).</summary>
public sealed class DataFolderHealthCheck(IOptions<RetrievalOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (options.Value.VectorStore != VectorStoreKind.Embedded)
        {
            return HealthCheckResult.Healthy("vectors in Qdrant");
        }

        var path = options.Value.ResolvedDataPath;
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, ".health");
            await File.WriteAllTextAsync(probe, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
            return HealthCheckResult.Healthy("embedded store folder writable");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"embedded store folder {path} is not writable", e);
        }
    }
}
