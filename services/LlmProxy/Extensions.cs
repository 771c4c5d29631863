using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Execution;
using HybridAI.LlmProxy.Grpc;
using HybridAI.LlmProxy.Providers;
using HybridAI.LlmProxy.Requests;
using HybridAI.LlmProxy.Resilience;
using HybridAI.LlmProxy.Telemetry;
using HybridAI.LlmProxy.Tokens;
using HybridAI.Tokens;

namespace HybridAI.LlmProxy;

/// <summary>llm-proxy wiring.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers llm-proxy's options, catalogue, provider clients (on an HttpClient without the standard resilience
    /// handler: the proxy's own per-target pipelines decide timeouts, retries and fallback), and executors.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<LlmProxyOptions>();

        services.AddSingleton<LlmProxyTelemetry>();
        services.AddSingleton<ModelCatalogue>();
        services.AddSingleton<TokenCounter>();
        services.AddSingleton<SecretRedactor>();
        services.AddSingleton<TargetPipelines>();
        services.AddSingleton<CatalogueView>();
        services.AddSingleton<CompletionPlanner>();
        services.AddSingleton<UpstreamClients>();
        services.AddSingleton<UpstreamInvoker>();
        services.AddSingleton<CompletionExecutor>();
        services.AddSingleton<StreamExecutor>();
        services.AddHostedService<TokenizerWarmup>();
        services.AddHealthChecks().AddCheck<TargetsHealthCheck>("llm-targets");

        services.AddTransient<UpstreamObserverHandler>();
        var upstream = services.AddHttpClient(UpstreamClients.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // Clients are held for the process lifetime; recycling connections keeps DNS changes visible.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                EnableMultipleHttp2Connections = true,
            })
            .AddHttpMessageHandler<UpstreamObserverHandler>()
            // Every upstream call is already a GenAI span and metrics; per-request HttpClient log lines only cost.
            .RemoveAllLoggers();
        // Experimental API, used on purpose: the standard handler's 10 s attempt timeout would cut LLM calls.
#pragma warning disable EXTEXP0001
        upstream.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return builder;
    }

    /// <summary>Maps the <c>hybridai.llm.v1</c> gRPC API.</summary>
    public static WebApplication MapLlmProxyApi(this WebApplication app)
    {
        app.MapGrpcService<LlmGrpcService>();
        return app;
    }
}
