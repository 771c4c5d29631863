using HybridAI.Contracts.Common.V1;
using HybridAI.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.LlmProxy.Tests;

/// <summary>ListModels, the AppHost's default model, and CountTokens.</summary>
public sealed class CatalogueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListModelsShowsPricesInMicrosAndNoSecrets()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        var settings = ProxyHost.Model(0, "gpt", upstream, "openai", apiKey: "catalogue-secret-key-0001");
        settings["LlmProxy:Models:0:Region"] = "eu";
        settings["LlmProxy:Models:0:Capabilities:0"] = "chat";
        settings["LlmProxy:Models:0:Capabilities:1"] = "tools";
        await using var proxy = ProxyHost.Start(settings);

        var models = await proxy.Client.ListModelsAsync(new(), cancellationToken: Ct);

        var model = Assert.Single(models.Models);
        Assert.Equal(("gpt", "openai", "gpt-4o-mini"), (model.Id, model.Provider, model.UpstreamModel));
        Assert.Equal(2_500_000, model.Price.InputPerMtokMicros);
        Assert.Equal(1_250_000, model.Price.CachedInputPerMtokMicros);
        Assert.Equal(10_000_000, model.Price.OutputPerMtokMicros);
        Assert.Equal((128_000, 4_096, "eu"), (model.ContextWindow, model.MaxOutputTokens, model.Region));
        Assert.Contains("tools", model.Capabilities);
        Assert.Equal(upstream.BaseAddress.ToString(), model.Endpoint);
        Assert.Equal(("closed", "o200k_base"), (model.CircuitState, model.Tokenizer));
        Assert.DoesNotContain("catalogue-secret-key-0001", models.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppHostParametersDefineTheDefaultModel()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        await using var proxy = ProxyHost.Start(new Dictionary<string, string?>
        {
            ["LlmProxy:Default:Endpoint"] = upstream.BaseAddress.ToString(),
            ["LlmProxy:Default:ApiKey"] = "apphost-llm-api-key-0001",
            ["LlmProxy:Default:UpstreamModel"] = "llama3.2",
        });

        var models = await proxy.Client.ListModelsAsync(new(), cancellationToken: Ct);
        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("default"), cancellationToken: Ct);

        var model = Assert.Single(models.Models);
        Assert.Equal(("default", "openai-compatible", "llama3.2"), (model.Id, model.Provider, model.UpstreamModel));
        Assert.DoesNotContain("apphost-llm-api-key-0001", models.ToString(), StringComparison.Ordinal);
        Assert.Equal("default", response.Model);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal(("llama3.2", "Bearer apphost-llm-api-key-0001"), (seen.Model, seen.Header("Authorization")));
    }

    [Fact]
    public async Task WithoutConfigurationTheCatalogueIsEmpty()
    {
        await using var proxy = ProxyHost.Start([]);

        var models = await proxy.Client.ListModelsAsync(new(), cancellationToken: Ct);

        Assert.Empty(models.Models);
    }

    [Fact]
    public async Task UpstreamHttpClientHasNoStandardResilienceHandler()
    {
        await using var proxy = ProxyHost.Start([]);

        var factory = proxy.Services.GetRequiredService<IHttpMessageHandlerFactory>();
        var handlers = new List<string>();
        for (HttpMessageHandler? h = factory.CreateHandler(Providers.UpstreamClients.HttpClientName); h is not null; h = (h as DelegatingHandler)?.InnerHandler)
        {
            handlers.Add(h.GetType().Name);
        }

        // The standard handler's 10 s attempt timeout and its own retries would cut LLM calls and double the proxy's.
        Assert.DoesNotContain("ResilienceHandler", handlers);
        Assert.Contains(nameof(Providers.UpstreamObserverHandler), handlers);
        Assert.DoesNotContain(handlers, n => n.Contains("Logging", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CountTokensUsesTheTargetsTokenizerWithOpenAIsMessageFraming()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        var settings = ProxyHost.Merge(
            ProxyHost.Model(0, "gpt", upstream, upstreamModel: "gpt-4o"),
            ProxyHost.Model(1, "old", upstream, upstreamModel: "gpt-4-turbo"));
        await using var proxy = ProxyHost.Start(settings);
        var request = new Contracts.Llm.V1.CountTokensRequest { Target = "gpt", Messages = { new ChatMessage { Role = "user", Content = "hello world" } } };

        var counted = await proxy.Client.CountTokensAsync(request, cancellationToken: Ct);
        request.Target = "old";
        var old = await proxy.Client.CountTokensAsync(request, cancellationToken: Ct);

        // "hello world" is 2 tokens, "user" 1, plus 3 per message and 3 to prime the reply.
        Assert.Equal((9, "o200k_base", 128_000, 4_096), (counted.PromptTokens, counted.Tokenizer, counted.ContextWindow, counted.MaxOutputTokens));
        Assert.Equal((9, "cl100k_base"), (old.PromptTokens, old.Tokenizer));
        Assert.Equal(0, upstream.RequestCount);
    }
}
