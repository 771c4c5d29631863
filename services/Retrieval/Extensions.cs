using HybridAI.Contracts;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Retrieval.Grpc;

namespace HybridAI.Retrieval;

/// <summary>retrieval wiring.</summary>
public static class Extensions
{
    /// <summary>Registers retrieval's options, its vector store and its embedding client.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RetrievalOptions>();
        builder.Services.AddHealthChecks().AddCheck<DataFolderHealthCheck>("vector-store");
        builder.Services.AddHybridAIGrpcClient<InferenceService.InferenceServiceClient>(ServiceNames.SlmInference, GrpcCallProfile.ModelCall);
        return builder;
    }

    /// <summary>Maps the <c>hybridai.retrieval.v1</c> gRPC API.</summary>
    public static WebApplication MapRetrievalApi(this WebApplication app)
    {
        app.MapGrpcService<RetrievalGrpcService>();
        return app;
    }
}
