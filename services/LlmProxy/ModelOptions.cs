using System.ComponentModel.DataAnnotations;

namespace HybridAI.LlmProxy;

/// <summary>What every model has, whether from the catalogue or the AppHost's default. Prices are USD per million tokens.</summary>
public abstract class ModelSettings
{
    public static readonly string[] Tokenizers = ["", "o200k_base", "cl100k_base"];

    [Required(AllowEmptyStrings = false)]
    public string Provider { get; set; } = ProviderNames.OpenAICompatible;

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

    /// <summary>chat, streaming, tools, json, vision. Requests with tools or a JSON format skip targets without them.</summary>
    public List<string> Capabilities { get; set; } = ["chat", "streaming", "tools", "json"];

    /// <summary>True for servers the operator runs itself (vLLM, Ollama): allowed for sensitive data.</summary>
    public bool Local { get; set; }

    /// <summary><c>o200k_base</c> or <c>cl100k_base</c>; empty chooses from the provider and model name.</summary>
    public string Tokenizer { get; set; } = "";

    /// <summary>Overrides <c>LlmProxy:Resilience:FirstTokenTimeout</c> for this model (slow reasoning models).</summary>
    public TimeSpan? FirstTokenTimeout { get; set; }

    /// <summary>Overrides <c>LlmProxy:Resilience:TotalTimeout</c> for this model.</summary>
    public TimeSpan? TotalTimeout { get; set; }

    internal IEnumerable<(string Key, string Message)> ValidateModel(string key, Uri? endpoint)
    {
        if (!LlmProxyOptions.Providers.Contains(Provider, StringComparer.Ordinal))
        {
            yield return ($"{key}:{nameof(Provider)}", $"must be one of {string.Join(", ", LlmProxyOptions.Providers)}, but is '{Provider}'.");
        }

        if (endpoint is { } e)
        {
            if (!(e.IsAbsoluteUri && (e.Scheme == Uri.UriSchemeHttp || e.Scheme == Uri.UriSchemeHttps)))
            {
                yield return ($"{key}:Endpoint", $"must be an absolute http(s) URL, but is '{e}'.");
            }
            else if (e.UserInfo.Length > 0 || e.Query.Length > 0)
            {
                // Credentials in a URL end up in logs and traces; keys belong in LlmProxy:ApiKeys.
                yield return ($"{key}:Endpoint", "must not carry credentials or a query string; put the key in LlmProxy:ApiKeys.");
            }
        }

        if (!Tokenizers.Contains(Tokenizer, StringComparer.Ordinal))
        {
            yield return ($"{key}:{nameof(Tokenizer)}", $"must be o200k_base, cl100k_base or empty, but is '{Tokenizer}'.");
        }

        if (MaxOutputTokens > ContextWindow)
        {
            yield return ($"{key}:{nameof(MaxOutputTokens)}", $"({MaxOutputTokens}) exceeds ContextWindow ({ContextWindow}).");
        }

        foreach (var problem in ResilienceOptions.ValidateTimeouts(key, FirstTokenTimeout, TotalTimeout))
        {
            yield return problem;
        }
    }
}

/// <summary>One catalogue entry.</summary>
public sealed class LlmModelOptions : ModelSettings
{
    [Required(AllowEmptyStrings = false)]
    public string Id { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string UpstreamModel { get; set; } = "";

    /// <summary>
    /// Base URL. openai: defaults to https://api.openai.com/v1; azure-openai: the resource URL
    /// (https://NAME.openai.azure.com, the proxy uses its /openai/v1 API); anthropic: defaults to
    /// https://api.anthropic.com; openai-compatible: the server's base URL ending in /v1.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Name of the key in <see cref="LlmProxyOptions.ApiKeys"/>; empty for servers that need none.</summary>
    public string ApiKeyRef { get; set; } = "";
}

/// <summary>The model the AppHost parameters define, catalogue id <c>default</c>; active when <see cref="Endpoint"/> is set.</summary>
public sealed class DefaultModelOptions : ModelSettings
{
    public Uri? Endpoint { get; set; }

    /// <summary>The AppHost's secret parameter llm-api-key; empty for servers that need none.</summary>
    public string ApiKey { get; set; } = "";

    [Required(AllowEmptyStrings = false)]
    public string UpstreamModel { get; set; } = "gpt-4o-mini";
}
