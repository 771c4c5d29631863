using Grpc.Core;
using HybridAI.Contracts.Llm.V1;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Catalogue;

/// <summary>
/// llm-proxy's catalogue (ids, prices, limits, locality, capabilities), read with <c>ListModels</c> and kept for
/// <c>Router:CatalogueRefresh</c>. Concurrent readers of a stale catalogue share one refresh; while llm-proxy is
/// unreachable the last catalogue keeps serving, and before any was read an LLM request fails with UNAVAILABLE.
/// </summary>
public sealed partial class TargetCatalogue(
    LlmService.LlmServiceClient client, IOptions<RouterOptions> options, TimeProvider clock, ILogger<TargetCatalogue> logger) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot? _snapshot;

    /// <summary>The last catalogue read, without waiting (null before the first read).</summary>
    public CatalogueSnapshot? Current => Volatile.Read(ref _snapshot)?.Catalogue;

    /// <summary>The catalogue, refreshed when older than <c>Router:CatalogueRefresh</c>.</summary>
    public async ValueTask<CatalogueSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _snapshot);
        if (current is not null && clock.GetUtcNow() - current.ReadAt < options.Value.CatalogueRefresh)
        {
            return current.Catalogue;
        }

        return await RefreshAsync(current, cancellationToken);
    }

    private async Task<CatalogueSnapshot> RefreshAsync(Snapshot? seen, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var current = Volatile.Read(ref _snapshot);
            if (current is not null && !ReferenceEquals(current, seen))
            {
                return current.Catalogue;
            }

            try
            {
                var response = await client.ListModelsAsync(new ListModelsRequest(),
                    deadline: DateTime.UtcNow.Add(options.Value.GovernanceTimeout), cancellationToken: cancellationToken);
                var fresh = new Snapshot(new CatalogueSnapshot(response.Models), clock.GetUtcNow());
                Volatile.Write(ref _snapshot, fresh);
                return fresh.Catalogue;
            }
            catch (RpcException e) when (current is not null && e.StatusCode != StatusCode.Cancelled)
            {
                LogStale(logger, e.StatusCode, e.Status.Detail);

                // Keep serving the last catalogue, and ask again only after another refresh interval.
                Volatile.Write(ref _snapshot, current with { ReadAt = clock.GetUtcNow() });
                return current.Catalogue;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record Snapshot(CatalogueSnapshot Catalogue, DateTimeOffset ReadAt);

    public void Dispose() => _refresh.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "llm-proxy's catalogue could not be refreshed ({Status}: {Detail}); the last one read keeps serving")]
    private static partial void LogStale(ILogger logger, StatusCode status, string detail);
}

/// <summary>One reading of the catalogue.</summary>
public sealed class CatalogueSnapshot
{
    private readonly Dictionary<string, CatalogueModel> _byId;

    public CatalogueSnapshot(IEnumerable<CatalogueModel> models)
    {
        Models = [.. models];
        _byId = Models.ToDictionary(m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>In llm-proxy's order (the configured order).</summary>
    public IReadOnlyList<CatalogueModel> Models { get; }

    public CatalogueModel? Find(string id) => _byId.GetValueOrDefault(id);
}
