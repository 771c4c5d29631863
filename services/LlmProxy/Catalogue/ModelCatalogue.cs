using System.Collections.Frozen;
using HybridAI.LlmProxy.Tokens;
using Microsoft.Extensions.Options;

namespace HybridAI.LlmProxy.Catalogue;

/// <summary>
/// The catalogue built once from <see cref="LlmProxyOptions"/>: the configured models plus <c>default</c> when the
/// AppHost defines one. Changing it needs a restart, which keeps breakers and clients tied to a fixed set of targets.
/// </summary>
public sealed class ModelCatalogue
{
    private static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");
    private static readonly Uri AnthropicEndpoint = new("https://api.anthropic.com");

    private readonly FrozenDictionary<string, CatalogueEntry> _byId;
    private readonly FrozenDictionary<string, string> _keys;

    public ModelCatalogue(IOptions<LlmProxyOptions> options)
    {
        var o = options.Value;
        var entries = new List<CatalogueEntry>();
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in o.Models)
        {
            entries.Add(Resolve(m.Id, m, m.UpstreamModel, m.Endpoint, o.Resilience));
            if (m.ApiKeyRef.Length > 0 && o.ApiKeys.TryGetValue(m.ApiKeyRef, out var key))
            {
                keys[m.Id] = key;
            }
        }

        if (o.Default.Endpoint is not null)
        {
            entries.Add(Resolve(LlmProxyOptions.DefaultModelId, o.Default, o.Default.UpstreamModel, o.Default.Endpoint, o.Resilience));
            if (o.Default.ApiKey.Length > 0)
            {
                keys[LlmProxyOptions.DefaultModelId] = o.Default.ApiKey;
            }
        }

        Entries = entries;
        _byId = entries.ToFrozenDictionary(e => e.Id, StringComparer.Ordinal);
        _keys = keys.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Entries in configuration order.</summary>
    public IReadOnlyList<CatalogueEntry> Entries { get; }

    public bool TryGet(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CatalogueEntry? entry) =>
        _byId.TryGetValue(id, out entry);

    /// <summary>The key for a target, for its provider client only; null when the server needs none.</summary>
    internal string? ApiKeyFor(CatalogueEntry entry) => _keys.GetValueOrDefault(entry.Id);

    private static CatalogueEntry Resolve(string id, ModelSettings m, string upstreamModel, Uri? endpoint, ResilienceOptions resilience) => new()
    {
        Id = id,
        Provider = m.Provider,
        UpstreamModel = upstreamModel,
        Endpoint = endpoint ?? (m.Provider == ProviderNames.Anthropic ? AnthropicEndpoint : OpenAIEndpoint),
        Prices = ModelPrices.FromUsd(m.InputPricePerMTok, m.CachedInputPricePerMTok, m.OutputPricePerMTok),
        ContextWindow = m.ContextWindow,
        MaxOutputTokens = m.MaxOutputTokens,
        Region = m.Region,
        Capabilities = [.. m.Capabilities],
        Local = m.Local,
        Tokenizer = m.Tokenizer.Length > 0 ? m.Tokenizer : EncodingDefaults.For(m.Provider, upstreamModel),
        FirstTokenTimeout = m.FirstTokenTimeout ?? resilience.FirstTokenTimeout,
        TotalTimeout = m.TotalTimeout ?? resilience.TotalTimeout,
    };
}
