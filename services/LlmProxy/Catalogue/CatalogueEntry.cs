namespace HybridAI.LlmProxy.Catalogue;

/// <summary>
/// One model the proxy can call, resolved from options. Holds no secret: keys stay in <see cref="ModelCatalogue"/>'s
/// key lookup and reach only the provider client, so an entry can be logged or listed safely.
/// </summary>
public sealed class CatalogueEntry
{
    public required string Id { get; init; }

    public required string Provider { get; init; }

    public required string UpstreamModel { get; init; }

    /// <summary>The base URL the provider client is given (defaults filled in, no credentials).</summary>
    public required Uri Endpoint { get; init; }

    public required ModelPrices Prices { get; init; }

    public required int ContextWindow { get; init; }

    public required int MaxOutputTokens { get; init; }

    public required string Region { get; init; }

    public required IReadOnlyList<string> Capabilities { get; init; }

    public required bool Local { get; init; }

    public required string Tokenizer { get; init; }

    public required TimeSpan FirstTokenTimeout { get; init; }

    public required TimeSpan TotalTimeout { get; init; }

    /// <summary>The OpenTelemetry <c>gen_ai.provider.name</c> for this provider.</summary>
    public string TelemetryProvider => Provider switch
    {
        ProviderNames.OpenAI => "openai",
        ProviderNames.AzureOpenAI => "azure.ai.openai",
        ProviderNames.Anthropic => "anthropic",
        _ => Provider,
    };

    public bool Supports(string capability) => Capabilities.Contains(capability, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"{Id} ({Provider} {UpstreamModel})";
}
