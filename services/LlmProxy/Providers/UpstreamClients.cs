using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Frozen;
using Anthropic;
using Anthropic.Core;
using HybridAI.LlmProxy.Catalogue;
using Microsoft.Extensions.AI;
using OpenAI;

namespace HybridAI.LlmProxy.Providers;

/// <summary>
/// One <see cref="IChatClient"/> per catalogue entry, made once. Every client sends through the <c>llm-upstream</c>
/// HttpClient (no standard resilience handler, no HttpClient timeout) and has its SDK's own retries switched off,
/// so the proxy's per-target pipeline alone decides timeouts, retries and fallback.
/// </summary>
public sealed class UpstreamClients : IDisposable
{
    /// <summary>The named HttpClient every provider client uses.</summary>
    public const string HttpClientName = "llm-upstream";

    private readonly FrozenDictionary<string, IChatClient> _clients;

    public UpstreamClients(ModelCatalogue catalogue, IHttpClientFactory httpClientFactory)
    {
        _clients = catalogue.Entries.ToFrozenDictionary(
            e => e.Id,
            e => Create(e, catalogue.ApiKeyFor(e), httpClientFactory.CreateClient(HttpClientName)),
            StringComparer.Ordinal);
    }

    public IChatClient For(CatalogueEntry entry) => _clients[entry.Id];

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }

    private static IChatClient Create(CatalogueEntry entry, string? apiKey, HttpClient http) => entry.Provider switch
    {
        ProviderNames.Anthropic => new AnthropicClient(new ClientOptions
        {
            ApiKey = apiKey,
            BaseUrl = entry.Endpoint.ToString().TrimEnd('/'),
            HttpClient = http,
            MaxRetries = 0,
            // A backstop only: the proxy's own timeouts fire first.
            Timeout = entry.TotalTimeout + TimeSpan.FromMinutes(1),
            OpenTelemetry = false,
        }).AsIChatClient(entry.UpstreamModel, entry.MaxOutputTokens),
        // The AuthenticationPolicy constructor is marked for evaluation (OPENAI001), used on purpose: it is the SDK's
        // way to send Azure's api-key header, or no credential at all to servers that take none.
#pragma warning disable OPENAI001
        _ => new OpenAIClient(Authentication(entry, apiKey), new OpenAIClientOptions
        {
            Endpoint = OpenAIEndpoint(entry),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            EnableDistributedTracing = false,
            ClientLoggingOptions = new ClientLoggingOptions { EnableLogging = false },
        }).GetChatClient(entry.UpstreamModel).AsIChatClient(),
#pragma warning restore OPENAI001
    };

    private static AuthenticationPolicy Authentication(CatalogueEntry entry, string? apiKey) => apiKey switch
    {
        null or "" => NoAuthenticationPolicy.Instance,
        // Azure OpenAI takes keys in the api-key header; a key sent as a bearer token would be read as an Entra token.
        _ when entry.Provider == ProviderNames.AzureOpenAI => ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(apiKey), "api-key"),
        _ => ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey)),
    };

    /// <summary>Azure OpenAI is called through its OpenAI-compatible v1 API: deployments are named as the model.</summary>
    internal static Uri OpenAIEndpoint(CatalogueEntry entry)
    {
        if (entry.Provider != ProviderNames.AzureOpenAI || entry.Endpoint.AbsolutePath.Contains("/openai/v1", StringComparison.OrdinalIgnoreCase))
        {
            return entry.Endpoint;
        }

        return new Uri(entry.Endpoint, entry.Endpoint.AbsolutePath.TrimEnd('/') + "/openai/v1/");
    }

    /// <summary>For OpenAI-compatible servers that take no key (Ollama, vLLM without --api-key): no Authorization header.</summary>
    private sealed class NoAuthenticationPolicy : AuthenticationPolicy
    {
        public static readonly NoAuthenticationPolicy Instance = new();

        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNext(message, pipeline, currentIndex);

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
            ProcessNextAsync(message, pipeline, currentIndex);
    }
}
