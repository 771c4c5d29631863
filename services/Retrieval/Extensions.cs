using HybridAI.Contracts;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Grpc;
using HybridAI.Retrieval.Health;
using HybridAI.Retrieval.Http;
using HybridAI.Retrieval.Ingestion;
using HybridAI.Retrieval.Ingestion.Chunking;
using HybridAI.Retrieval.Sample;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.Retrieval.Storage.Qdrant;
using HybridAI.SlmInference.Core.Models;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval;

/// <summary>retrieval wiring.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers retrieval's options, its vector store (embedded or Qdrant, from <c>Retrieval:VectorStore</c>), the
    /// slm-inference embedding client, the encoder's tokenizer for chunking, the feature services, the sample knowledge
    /// base loader (when <c>Retrieval:LoadSampleKnowledgeBase</c>) and the readiness checks.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<RetrievalOptions>();
        services.AddSingleton(TimeProvider.System);
        services.AddHybridAIGrpcClient<InferenceService.InferenceServiceClient>(ServiceNames.SlmInference, GrpcCallProfile.ModelCall);

        services.AddSingleton(sp => new Chunker(ShippedEncoder.LoadTokenizer(), sp.GetRequiredService<IOptions<RetrievalOptions>>().Value.Chunking));
        services.AddSingleton<IVectorStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RetrievalOptions>>().Value;
            return options.VectorStore == VectorStoreKind.Qdrant
                ? new QdrantVectorStore(options.Qdrant, sp.GetRequiredService<ILoggerFactory>())
                : new EmbeddedVectorStore(options.ResolvedDataPath, sp.GetRequiredService<ILogger<EmbeddedVectorStore>>());
        });
        services.AddSingleton<IEmbeddingClient, GrpcEmbeddingClient>();
        services.AddSingleton<EncoderInfo>();
        services.AddSingleton<CollectionService>();
        services.AddSingleton<IngestionService>();
        services.AddSingleton<SearchService>();
        services.AddSingleton<FaqService>();

        services.AddSingleton<SampleKnowledgeBaseLoader>();
        services.AddHostedService(sp => sp.GetRequiredService<SampleKnowledgeBaseLoader>());

        services.AddHealthChecks()
            .AddCheck<VectorStoreHealthCheck>("vector-store")
            .AddCheck<EmbeddingsHealthCheck>("slm-inference")
            .AddCheck<SampleKnowledgeBaseHealthCheck>("sample-knowledge-base");
        services.AddGrpc(o => o.Interceptors.Add<RetrievalErrorInterceptor>());
        // Ingest carries whole documents: gRPC's 4 MB default would refuse what the HTTP API accepts.
        services.AddOptions<global::Grpc.AspNetCore.Server.GrpcServiceOptions>().Configure<IOptions<RetrievalOptions>>((grpc, retrieval) =>
            grpc.MaxReceiveMessageSize = (int)Math.Min(int.MaxValue, retrieval.Value.Limits.MaxRequestBytes));
        return builder;
    }

    /// <summary>Maps the <c>hybridai.retrieval.v1</c> gRPC API and the <c>/v1/hybrid/collections</c> HTTP API.</summary>
    public static WebApplication MapRetrievalApi(this WebApplication app)
    {
        app.MapRetrievalHttpApi();
        app.MapGrpcService<RetrievalGrpcService>();
        return app;
    }
}
