using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Qdrant;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Health;

/// <summary>
/// Readiness of the vector store: the embedded store's folder is writable, or Qdrant answers its health call. Without
/// its store retrieval can serve nothing, so this check is Unhealthy when it fails.
/// </summary>
public sealed class VectorStoreHealthCheck(IOptions<RetrievalOptions> options, IVectorStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (store is QdrantVectorStore qdrant)
        {
            try
            {
                var version = await qdrant.PingAsync(cancellationToken);
                return HealthCheckResult.Healthy($"Qdrant {version} answers");
            }
            catch (Exception e) when (e is global::Grpc.Core.RpcException or HttpRequestException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"Qdrant at {options.Value.Qdrant.Endpoint} does not answer", e);
            }
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
