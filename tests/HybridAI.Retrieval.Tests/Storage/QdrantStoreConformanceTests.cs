using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Qdrant;

namespace HybridAI.Retrieval.Tests.Storage;

/// <summary>
/// The conformance suite against a real Qdrant, when HYBRIDAI_QDRANT_ENDPOINT (its gRPC URL, e.g. http://localhost:6334)
/// is set, with HYBRIDAI_QDRANT_API_KEY when it needs one. Each run uses its own collection prefix and removes it.
/// </summary>
public sealed class QdrantStoreConformanceTests : VectorStoreConformance, IAsyncDisposable
{
    private static readonly string? Endpoint = Environment.GetEnvironmentVariable("HYBRIDAI_QDRANT_ENDPOINT");
    private readonly QdrantVectorStore? _store;
    private readonly Qdrant.Client.QdrantClient? _admin;
    private readonly string _prefix = $"hybridai_test_{Guid.NewGuid():N}_";

    public QdrantStoreConformanceTests()
    {
        if (string.IsNullOrEmpty(Endpoint))
        {
            return;
        }

        var apiKey = Environment.GetEnvironmentVariable("HYBRIDAI_QDRANT_API_KEY") ?? "";
        _store = new QdrantVectorStore(new QdrantOptions { Endpoint = new Uri(Endpoint), ApiKey = apiKey, CollectionPrefix = _prefix });
        _admin = new Qdrant.Client.QdrantClient(new Uri(Endpoint), apiKey.Length == 0 ? null : apiKey);
    }

    protected override IVectorStore Store => _store ?? throw SkipException();

    private static InvalidOperationException SkipException()
    {
        Assert.Skip("No Qdrant configured: set HYBRIDAI_QDRANT_ENDPOINT (e.g. http://localhost:6334) and, if needed, HYBRIDAI_QDRANT_API_KEY to run the conformance suite against Qdrant.");
        return new InvalidOperationException("unreachable");
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            foreach (var name in new[] { "chunks", "catalog" })
            {
                if (await _admin.CollectionExistsAsync(_prefix + name))
                {
                    await _admin.DeleteCollectionAsync(_prefix + name);
                }
            }

            _admin.Dispose();
        }

        _store?.Dispose();
    }
}
