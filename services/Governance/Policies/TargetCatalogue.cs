using Grpc.Core;
using HybridAI.Contracts.Llm.V1;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Policies;

/// <summary>A target a policy may name, with the facts validation needs.</summary>
public sealed record CatalogueTarget(string Id, bool Local, string Region);

/// <summary>The targets known at one moment and where that knowledge came from.</summary>
public sealed record CatalogueSnapshot(IReadOnlyDictionary<string, CatalogueTarget> Targets, string Source);

/// <summary>
/// The ids policies may name: the built-in <c>slm</c> tier, <c>Governance:Targets:Known</c>, and llm-proxy's
/// catalogue when an address is configured and it answers in time (cached). Returns null when nothing beyond
/// <c>slm</c> is known, so callers can skip unknown-target checks instead of rejecting every LLM target.
/// </summary>
public sealed class TargetCatalogue(
    IOptions<GovernanceOptions> options, TimeProvider clock, ILogger<TargetCatalogue> logger, LlmService.LlmServiceClient? llmProxy = null) : IDisposable
{
    /// <summary>The local SLM tier, always present.</summary>
    public const string Slm = "slm";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (IReadOnlyList<CatalogueTarget> Targets, DateTimeOffset ReadAt)? _fromProxy;

    public async Task<CatalogueSnapshot?> GetAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Targets;
        var targets = new Dictionary<string, CatalogueTarget>(StringComparer.Ordinal) { [Slm] = new(Slm, true, "local") };
        var sources = new List<string>();
        foreach (var known in settings.Known)
        {
            targets[known.Id] = new CatalogueTarget(known.Id, known.Local, known.Region);
        }

        if (settings.Known.Count > 0)
        {
            sources.Add("configuration");
        }

        if (llmProxy is not null && await ReadProxyAsync(settings, cancellationToken) is { } proxied)
        {
            foreach (var target in proxied)
            {
                targets[target.Id] = target;
            }

            sources.Add("llm-proxy");
        }

        return sources.Count == 0 ? null : new CatalogueSnapshot(targets, string.Join(" + ", sources));
    }

    private async Task<IReadOnlyList<CatalogueTarget>?> ReadProxyAsync(TargetCatalogueOptions settings, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_fromProxy is { } cached && now - cached.ReadAt < TimeSpan.FromSeconds(settings.CacheSeconds))
        {
            return cached.Targets;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var response = await llmProxy!.ListModelsAsync(new ListModelsRequest(),
                deadline: DateTime.UtcNow.AddSeconds(settings.LookupTimeoutSeconds), cancellationToken: cancellationToken);
            var targets = response.Models.Select(m => new CatalogueTarget(m.Id, m.Local, m.Region)).ToList();
            _fromProxy = (targets, now);
            return targets;
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled)
        {
            // Governance must keep working while llm-proxy is down: fall back to what it read last, or to configuration.
            logger.LogWarning("llm-proxy's catalogue is unavailable ({Status}: {Detail}); policy targets are checked against {Fallback}.",
                e.StatusCode, e.Status.Detail, _fromProxy is null ? "configuration only" : "the last catalogue read");
            return _fromProxy?.Targets;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();
}
