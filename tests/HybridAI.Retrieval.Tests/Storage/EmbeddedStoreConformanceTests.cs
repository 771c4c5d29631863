using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Storage.Embedded;
using HybridAI.Retrieval.Tests.Service;

namespace HybridAI.Retrieval.Tests.Storage;

public sealed class EmbeddedStoreConformanceTests : VectorStoreConformance, IDisposable
{
    private readonly EmbeddedVectorStore _store = new(TempFolder.Create());

    protected override IVectorStore Store => _store;

    public void Dispose() => _store.Dispose();
}
