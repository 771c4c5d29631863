using Grpc.Net.Client;
using HybridAI.Contracts.Inference.V1;
using HybridAI.Retrieval;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Ingestion;
using HybridAI.Retrieval.Ingestion.Chunking;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.SlmInference.Core.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HybridAI.Benchmarks.Retrieval;

/// <summary>
/// retrieval's own services (embedded store, chunker, ingestion, FAQ), wired as the service wires them, embedding through
/// slm-inference over gRPC (its own process), in a temporary folder removed on dispose.
/// </summary>
internal sealed class RetrievalStack : IDisposable
{
    private readonly GrpcChannel _channel;

    public RetrievalStack(Uri slmInference)
    {
        Folder = Path.Combine(Path.GetTempPath(), "hybridai-bench", Guid.NewGuid().ToString("N"));
        Options = new RetrievalOptions { DataPath = Folder, EmbeddingBatchSize = 64, EmbeddingConcurrency = 4 };
        var options = Microsoft.Extensions.Options.Options.Create(Options);
        _channel = GrpcChannel.ForAddress(slmInference, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        Embeddings = new GrpcEmbeddingClient(new InferenceService.InferenceServiceClient(_channel), options);
        Store = new EmbeddedVectorStore(Folder);
        var encoder = new EncoderInfo(Embeddings);
        Chunker = new Chunker(ShippedEncoder.LoadTokenizer(), Options.Chunking);
        Collections = new CollectionService(Store, encoder, options, TimeProvider.System);
        Ingestion = new IngestionService(Store, Collections, Embeddings, encoder, Chunker, options, NullLogger<IngestionService>.Instance);
        Faqs = new FaqService(Store, Collections, Embeddings, encoder, options);
    }

    public string Folder { get; }

    public RetrievalOptions Options { get; }

    public IEmbeddingClient Embeddings { get; }

    public EmbeddedVectorStore Store { get; }

    public Chunker Chunker { get; }

    public CollectionService Collections { get; }

    public IngestionService Ingestion { get; }

    public FaqService Faqs { get; }

    public void Dispose()
    {
        Store.Dispose();
        _channel.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
