using HybridAI.Contracts;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Infrastructure.Redis;
using HybridAI.Router.Budgets;
using HybridAI.Router.Caching;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Execution;
using HybridAI.Router.Feedback;
using HybridAI.Router.Grpc;
using HybridAI.Router.Http;
using HybridAI.Router.Mcp;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Policy;
using HybridAI.Router.Privacy;
using HybridAI.Router.Receipts;
using HybridAI.Router.Shadow;
using HybridAI.Router.Signals;
using HybridAI.Router.Telemetry;
using HybridAI.Router.Tools;
using HybridAI.Tokens;
using Microsoft.Extensions.Options;

namespace HybridAI.Router;

/// <summary>The router's wiring.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers the router's options (the policy hot-reloaded from <c>Router:Policy</c>), Redis, the governance client
    /// (policies, budgets, the durable receipt outbox), the clients of slm-inference, llm-proxy and retrieval, and the
    /// pipeline.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RouterOptions>();

        // Bound without validators on purpose: RouterOptions validates the policy at start, and PolicyProvider refuses a
        // bad reload itself (a validator here would make the options monitor throw instead, see PolicyProvider).
        services.AddOptions<PolicyOptions>().BindConfiguration($"{RouterOptions.SectionName}:Policy");

        builder.AddHybridAIRedis();
        builder.AddGovernanceClient();
        services.AddHybridAIGrpcClient<InferenceService.InferenceServiceClient>(ServiceNames.SlmInference, GrpcCallProfile.ModelCall);
        services.AddHybridAIGrpcClient<LlmService.LlmServiceClient>(ServiceNames.LlmProxy, GrpcCallProfile.ModelCall);
        services.AddHybridAIGrpcClient<RetrievalService.RetrievalServiceClient>(ServiceNames.Retrieval, GrpcCallProfile.ControlPlane);

        services.AddSingleton<RouterTelemetry>();
        services.AddSingleton<TokenCounter>();
        services.AddRouterPrivacy();
        services.AddSingleton<PolicyProvider>();
        services.AddSingleton<PolicyEngine>();
        services.AddSingleton<TargetCatalogue>();
        services.AddSingleton<LocalModels>();
        services.AddSingleton<SignalExtractor>();
        services.AddSingleton<SlmTier>();
        services.AddSingleton<LlmTier>();
        services.AddSingleton<RetrievalAugmenter>();
        services.AddSingleton<BudgetGuard>();
        services.AddSingleton<LatencyTracker>();
        services.AddSingleton<IResponseCache>(sp => sp.GetRequiredService<RedisConnection>().Multiplexer is { } redis
            ? ActivatorUtilities.CreateInstance<RedisResponseCache>(sp, redis)
            : ActivatorUtilities.CreateInstance<InProcessResponseCache>(sp));
        services.AddSingleton<ReceiptRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<ReceiptRecorder>());
        services.AddSingleton<RoutingPipeline>();
        services.AddSingleton<LocalCapabilities>();
        services.AddSingleton<RequestGate>();
        services.AddSingleton<FeedbackService>();
        services.AddShadowEvaluation();
        services.AddGovernedTools();
        services.AddHostedService<RouterWarmup>();
        builder.AddRouterMcpServer();
        return builder;
    }

    /// <summary>Maps the OpenAI-compatible HTTP API, the HybridAI endpoints, the <c>hybridai.router.v1</c> gRPC API and the MCP endpoint (<c>/mcp</c>).</summary>
    public static WebApplication MapRouterApi(this WebApplication app)
    {
        app.MapPost("/v1/chat/completions", ChatEndpoints.CompleteAsync);
        app.MapPost("/v1/embeddings", LocalEndpoints.EmbeddingsAsync);
        app.MapGet("/v1/models", LocalEndpoints.ModelsAsync);
        app.MapGet("/v1/models/{id}", LocalEndpoints.ModelAsync);
        app.MapPost("/v1/hybrid/explain", ChatEndpoints.ExplainAsync);
        app.MapPost("/v1/hybrid/classify", LocalEndpoints.ClassifyAsync);
        app.MapPost("/v1/hybrid/extract", LocalEndpoints.ExtractAsync);
        app.MapPost("/v1/hybrid/feedback", FeedbackEndpoints.SubmitAsync);
        app.MapGrpcService<RouterGrpcService>();
        app.MapRouterMcp();
        return app;
    }
}

/// <summary>
/// Resolves the policy at start (so an invalid one fails start-up with the options validator's message, not later) and
/// warms the o200k tokenizer, so the first request pays for neither.
/// </summary>
internal sealed class RouterWarmup(IServiceProvider services) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() =>
    {
        _ = services.GetRequiredService<IOptions<RouterOptions>>().Value;
        services.GetRequiredService<PolicyProvider>();
        services.GetRequiredService<TokenCounter>().Get(TokenCounter.O200k);
    }, stoppingToken);
}
