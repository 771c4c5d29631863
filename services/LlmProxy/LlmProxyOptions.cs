using HybridAI.ServiceDefaults.Options;

namespace HybridAI.LlmProxy;

/// <summary>
/// llm-proxy settings (section <c>LlmProxy</c>): the model catalogue, the secrets it references, the default model
/// the AppHost defines, resilience and limits.
/// </summary>
public sealed class LlmProxyOptions : IServiceOptions, ISelfValidatingOptions
{
    public static string SectionName => "LlmProxy";

    /// <summary>The catalogue id of the model the AppHost's <c>llm-*</c> parameters define.</summary>
    public const string DefaultModelId = "default";

    public static readonly string[] Providers = [ProviderNames.OpenAI, ProviderNames.AzureOpenAI, ProviderNames.Anthropic, ProviderNames.OpenAICompatible];

    /// <summary>The catalogue. Ids are what the router and tenant policies name as targets.</summary>
    public List<LlmModelOptions> Models { get; set; } = [];

    /// <summary>
    /// Provider keys by reference name (<c>LlmProxy:ApiKeys:openai</c>). Supply them from a secret store or
    /// the environment (<c>LlmProxy__ApiKeys__openai</c>), never from a committed file.
    /// </summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The default model defined by the AppHost's <c>llm-endpoint</c> and <c>llm-api-key</c> parameters.</summary>
    public DefaultModelOptions Default { get; set; } = new();

    /// <summary>Timeouts, retries and circuit breakers, per target.</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>Largest upstream response body accepted (bytes); a bigger one fails the attempt as a bad response.</summary>
    [System.ComponentModel.DataAnnotations.Range(64 * 1024, 1024 * 1024 * 1024)]
    public long MaxResponseBytes { get; set; } = 16 * 1024 * 1024;

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

            if (m.Id == DefaultModelId && Default.Endpoint is not null)
            {
                yield return ($"{key}:{nameof(m.Id)}", $"'{DefaultModelId}' is the model LlmProxy:Default (the AppHost's llm-endpoint) defines; choose another id.");
            }

            foreach (var problem in m.ValidateModel(key, m.Endpoint))
            {
                yield return problem;
            }

            if (m.Endpoint is null && m.Provider is ProviderNames.AzureOpenAI or ProviderNames.OpenAICompatible)
            {
                yield return ($"{key}:{nameof(m.Endpoint)}", $"is required for provider '{m.Provider}'.");
            }

            if (!string.IsNullOrEmpty(m.ApiKeyRef) && !ApiKeys.ContainsKey(m.ApiKeyRef))
            {
                yield return ($"{key}:{nameof(m.ApiKeyRef)}", $"names ApiKeys:{m.ApiKeyRef}, which is not configured.");
            }

            if (string.IsNullOrEmpty(m.ApiKeyRef) && m.Provider is ProviderNames.OpenAI or ProviderNames.AzureOpenAI or ProviderNames.Anthropic)
            {
                yield return ($"{key}:{nameof(m.ApiKeyRef)}", $"is required for provider '{m.Provider}' (name a key in LlmProxy:ApiKeys).");
            }
        }

        foreach (var (name, value) in ApiKeys)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return ($"{nameof(ApiKeys)}:{name}", "is empty.");
            }
        }

        foreach (var problem in Default.ValidateModel(nameof(Default), Default.Endpoint))
        {
            yield return problem;
        }

        if (Default.Endpoint is null && !string.IsNullOrEmpty(Default.ApiKey))
        {
            yield return ($"{nameof(Default)}:{nameof(Default.Endpoint)}", "is required when Default:ApiKey is set (the AppHost parameter llm-endpoint).");
        }

        if (Default.Endpoint is not null && string.IsNullOrEmpty(Default.ApiKey)
            && Default.Provider is ProviderNames.OpenAI or ProviderNames.AzureOpenAI or ProviderNames.Anthropic)
        {
            yield return ($"{nameof(Default)}:{nameof(Default.ApiKey)}", $"is required for provider '{Default.Provider}' (the AppHost parameter llm-api-key).");
        }

        foreach (var problem in Resilience.Validate(nameof(Resilience)))
        {
            yield return problem;
        }
    }
}

/// <summary>Provider names as they appear in <c>LlmProxy:Models:N:Provider</c>.</summary>
public static class ProviderNames
{
    public const string OpenAI = "openai";
    public const string AzureOpenAI = "azure-openai";
    public const string Anthropic = "anthropic";
    public const string OpenAICompatible = "openai-compatible";
}
