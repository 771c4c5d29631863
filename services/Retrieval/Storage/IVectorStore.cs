using HybridAI.Retrieval.Tenancy;

namespace HybridAI.Retrieval.Storage;

/// <summary>
/// Where collections, documents and their chunks live: the embedded store (local mode, single node) or Qdrant. Every
/// call takes the tenant (in <see cref="CollectionScope"/> or as an argument) and every implementation puts it in the
/// key or filter of the query itself, so another tenant's data is never read, not even to be filtered out afterwards.
/// Both implementations pass the same conformance suite (tests/HybridAI.Retrieval.Tests/Storage).
/// </summary>
public interface IVectorStore
{
    /// <summary>Creates a collection; <see cref="Errors.AlreadyExistsException"/> when the tenant has one of that name.</summary>
    Task CreateCollectionAsync(string tenant, CollectionDefinition definition, CancellationToken cancellationToken);

    /// <summary>The tenant's collections with their document and chunk counts, by name.</summary>
    Task<IReadOnlyList<CollectionStats>> ListCollectionsAsync(string tenant, CancellationToken cancellationToken);

    /// <summary>One collection of the tenant, or <see langword="null"/>.</summary>
    Task<CollectionStats?> GetCollectionAsync(CollectionScope scope, CancellationToken cancellationToken);

    /// <summary>Deletes a collection with all its documents; false when the tenant has no such collection.</summary>
    Task<bool> DeleteCollectionAsync(CollectionScope scope, CancellationToken cancellationToken);

    /// <summary>What is stored about a document (hash, label, metadata, chunk count), or <see langword="null"/>.</summary>
    Task<DocumentState?> GetDocumentAsync(CollectionScope scope, string documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a document, replacing every chunk of a previous version, atomically: readers see the old version or the
    /// new one, never a mix, and a failure leaves the old version in place.
    /// </summary>
    Task ReplaceDocumentAsync(CollectionScope scope, StoredDocument document, CancellationToken cancellationToken);

    /// <summary>Changes a document's label and metadata on all its chunks without touching their text or vectors; false when absent.</summary>
    Task<bool> UpdateDocumentAttributesAsync(CollectionScope scope, DocumentState attributes, CancellationToken cancellationToken);

    /// <summary>Deletes a document and its chunks; the number of chunks removed, or <see langword="null"/> when absent.</summary>
    Task<int?> DeleteDocumentAsync(CollectionScope scope, string documentId, CancellationToken cancellationToken);

    /// <summary>Nearest chunks by cosine similarity (vectors are L2-normalised, so the dot product), best first.</summary>
    Task<IReadOnlyList<ChunkHit>> SearchVectorAsync(CollectionScope scope, ReadOnlyMemory<float> query, int limit, ChunkFilter filter, CancellationToken cancellationToken);

    /// <summary>Best chunks by BM25 over <see cref="Keyword.KeywordAnalyzer"/> terms, best first.</summary>
    Task<IReadOnlyList<ChunkHit>> SearchKeywordAsync(CollectionScope scope, string query, int limit, ChunkFilter filter, CancellationToken cancellationToken);
}
