using HybridAI.Contracts;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Router.Grpc;

namespace HybridAI.Router;

/// <summary>The router's wiring.</summary>
public static class Extensions
{
    /// <summary>Registers the router's options, Redis and the clients of the services it orchestrates.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RouterOptions>();
        builder.AddHybridAIRedis();

        builder.Services.AddHybridAIGrpcClient<InferenceService.InferenceServiceClient>(ServiceNames.SlmInference, GrpcCallProfile.ModelCall);
        builder.Services.AddHybridAIGrpcClient<LlmService.LlmServiceClient>(ServiceNames.LlmProxy, GrpcCallProfile.ModelCall);
        builder.Services.AddHybridAIGrpcClient<RetrievalService.RetrievalServiceClient>(ServiceNames.Retrieval, GrpcCallProfile.ControlPlane);
        builder.Services.AddHybridAIGrpcClient<GovernanceService.GovernanceServiceClient>(ServiceNames.Governance, GrpcCallProfile.ControlPlane);
        return builder;
    }

    /// <summary>Maps the router's gRPC API (the OpenAI-compatible HTTP API joins it with the pipeline).</summary>
    public static WebApplication MapRouterApi(this WebApplication app)
    {
        app.MapGrpcService<RouterGrpcService>();
        return app;
    }
}
