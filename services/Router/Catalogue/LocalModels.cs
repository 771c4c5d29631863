using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Catalogue;

/// <summary>
/// What slm-inference serves: whether a generator is there for local answers (and which), the default encoder, and
/// the file hashes of the encoder and heads (reported as the signals' model versions). Read with <c>ListModels</c> and
/// kept for <c>Router:CatalogueRefresh</c>; while slm-inference is unreachable the last reading serves.
/// </summary>
public sealed partial class LocalModels(
    InferenceService.InferenceServiceClient client, IOptions<RouterOptions> options, TimeProvider clock, ILogger<LocalModels> logger) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private LocalModelsSnapshot? _snapshot;

    public async ValueTask<LocalModelsSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _snapshot);
        if (current is not null && clock.GetUtcNow() - current.ReadAt < options.Value.CatalogueRefresh)
        {
            return current;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            current = Volatile.Read(ref _snapshot);
            if (current is not null && clock.GetUtcNow() - current.ReadAt < options.Value.CatalogueRefresh)
            {
                return current;
            }

            try
            {
                var response = await client.ListModelsAsync(new ListModelsRequest(),
                    deadline: DateTime.UtcNow.Add(options.Value.SlmTimeout), cancellationToken: cancellationToken);
                var fresh = LocalModelsSnapshot.From(response.Models, options.Value, clock.GetUtcNow());
                Volatile.Write(ref _snapshot, fresh);
                return fresh;
            }
            catch (RpcException e) when (current is not null && e.StatusCode != StatusCode.Cancelled)
            {
                LogStale(logger, e.StatusCode, e.Status.Detail);
                var kept = current with { ReadAt = clock.GetUtcNow() };
                Volatile.Write(ref _snapshot, kept);
                return kept;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "slm-inference's model list could not be refreshed ({Status}: {Detail}); the last one read keeps serving")]
    private static partial void LogStale(ILogger logger, StatusCode status, string detail);
}

/// <summary>One reading of slm-inference's models.</summary>
public sealed record LocalModelsSnapshot(string? Generator, string Encoder, IReadOnlyDictionary<string, string> Versions, DateTimeOffset ReadAt)
{
    public bool HasGenerator => Generator is not null;

    public static LocalModelsSnapshot From(IEnumerable<ModelInfo> models, RouterOptions options, DateTimeOffset readAt)
    {
        var list = models.ToList();
        var generators = list.Where(m => m.Kind == ModelKind.Generator).Select(m => m.Name).ToList();
        var configured = options.Slm.Generator;
        string? generator = configured switch
        {
            "none" => null,
            "" => generators.Count > 0 ? generators[0] : null,
            _ => generators.Contains(configured, StringComparer.Ordinal) ? configured : null,
        };
        var heads = new[] { options.Signals.IntentHead, options.Signals.NeedsLlmHead, options.Signals.GuardHead };
        var headModels = list.Where(m => m.Kind == ModelKind.Head && heads.Contains(m.Name, StringComparer.Ordinal)).ToList();
        var encoder = headModels.FirstOrDefault()?.Encoder
            ?? list.FirstOrDefault(m => m.Kind == ModelKind.Encoder)?.Name ?? "";
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in headModels.Concat(list.Where(m => m.Kind == ModelKind.Encoder && m.Name == encoder)))
        {
            versions[m.Name] = m.Sha256;
        }

        return new LocalModelsSnapshot(generator, encoder, versions, readAt);
    }
}
