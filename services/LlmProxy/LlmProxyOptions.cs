using System.ComponentModel.DataAnnotations;
using HybridAI.ServiceDefaults.Options;

namespace HybridAI.LlmProxy;

/// <summary>llm-proxy settings (section <c>LlmProxy</c>): the model catalogue and the secrets it references.</summary>
public sealed class LlmProxyOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "LlmProxy";

    public static readonly string[] Providers = ["openai", "azure-openai", "anthropic", "openai-compatible"];

    /// <summary>The catalogue. Ids are what the router and tenant policies name as targets.</summary>
    public List<LlmModelOptions> Models { get; set; } = [];

    /// <summary>
    /// Provider keys by reference name (<c>LlmProxy:ApiKeys:openai</c>). Supply them from a secret store or
    /// the environment (<c>LlmProxy__ApiKeys__openai</c>), never from a committed file.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The default model defined by the AppHost's <c>llm-endpoint</c> and <c>llm-api-key</c> parameters.</summary>
    public DefaultModelOptions Default { get; set; } = new();

    public IEnumerable<(string Key, string Message)> Validate()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Models.Count; i++)
        {
            var m = Models[i];
            var key = $"{nameof(Models)}:{i}";
            if (!string.IsNullOrWhiteSpace(m.Id) && !seen.Add(m.Id))
            {
                yield return ($"{key}:{nameof(m.Id)}", $"duplicate model id '{m.Id}'.");
            }

            if (!Providers.Contains(m.Provider, StringComparer.Ordinal))
            {
                yield return ($"{key}:{nameof(m.Provider)}", $"must be one of {string.Join(", ", Providers)}, but is '{m.Provider}'.");
            }

            if (m.Endpoint is { } e && !(e.IsAbsoluteUri && (e.Scheme == Uri.UriSchemeHttp || e.Scheme == Uri.UriSchemeHttps)))
            {
                yield return ($"{key}:{nameof(m.Endpoint)}", $"must be an absolute http(s) URL, but is '{e}'.");
            }

            if (m.Endpoint is null && m.Provider is "azure-openai" or "openai-compatible")
            {
                yield return ($"{key}:{nameof(m.Endpoint)}", $"is required for provider '{m.Provider}'.");
            }

            if (!string.IsNullOrEmpty(m.ApiKeyRef) && !ApiKeys.ContainsKey(m.ApiKeyRef))
            {
                yield return ($"{key}:{nameof(m.ApiKeyRef)}", $"names ApiKeys:{m.ApiKeyRef}, which is not configured.");
            }
        }

        if (Default.Endpoint is { } d && !(d.IsAbsoluteUri && (d.Scheme == Uri.UriSchemeHttp || d.Scheme == Uri.UriSchemeHttps)))
        {
            yield return ($"{nameof(Default)}:{nameof(Default.Endpoint)}", $"must be an absolute http(s) URL, but is '{d}'.");
        }
    }
}

/// <summary>One catalogue entry. Prices are USD per million tokens.</summary>
public sealed class LlmModelOptions
{
    [Required(AllowEmptyStrings = false)]
    public string Id { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string Provider { get; set; } = "openai-compatible";

    [Required(AllowEmptyStrings = false)]
    public string UpstreamModel { get; set; } = "";

    public Uri? Endpoint { get; set; }

    /// <summary>Name of the key in <see cref="LlmProxyOptions.ApiKeys"/>; empty for servers that need none.</summary>
    public string ApiKeyRef { get; set; } = "";

    [Range(0, 10_000)]
    public decimal InputPricePerMTok { get; set; }

    [Range(0, 10_000)]
    public decimal CachedInputPricePerMTok { get; set; }

    [Range(0, 10_000)]
    public decimal OutputPricePerMTok { get; set; }

    [Range(1, 100_000_000)]
    public int ContextWindow { get; set; } = 128_000;

    [Range(1, 10_000_000)]
    public int MaxOutputTokens { get; set; } = 4_096;

    /// <summary>Residency tag (eu, us, local, …) that tenant policies match against.</summary>
    public string Region { get; set; } = "";

    public List<string> Capabilities { get; set; } = ["chat", "streaming"];

    /// <summary>True for servers the operator runs itself (vLLM, Ollama): allowed for sensitive data.</summary>
    public bool Local { get; set; }
}

/// <summary>The model the AppHost parameters define; active when <see cref="Endpoint"/> is set.</summary>
public sealed class DefaultModelOptions
{
    public Uri? Endpoint { get; set; }

    public string ApiKey { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string UpstreamModel { get; set; } = "gpt-4o-mini";
}
