using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Tenancy;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using P = HybridAI.Retrieval.Storage.Qdrant.QdrantPayload;
using static Qdrant.Client.Grpc.Conditions;

namespace HybridAI.Retrieval.Storage.Qdrant;

/// <summary>
/// The Qdrant adapter. Two Qdrant collections hold every tenant (Qdrant's recommended multitenancy: payload
/// partitioning with a tenant index rather than a collection per tenant): <c>&lt;prefix&gt;chunks</c> with a named dense
/// vector (the embedding size, cosine) and a sparse <c>bm25</c> vector with the IDF modifier, and
/// <c>&lt;prefix&gt;catalog</c> with one point per collection and per document. Every read and write carries a filter on
/// tenant and collection (payload indexes: tenant as the tenant key, collection, document id, label, version,
/// committed). A document is replaced by writing its new chunks uncommitted under a new version, then, in one batch,
/// marking them committed and deleting every other version; searches only see committed chunks, so a failure midway
/// leaves the previous version in place.
/// </summary>
public sealed partial class QdrantVectorStore : IVectorStore, IDisposable
{
    private const string CollectionType = "collection";
    private const string DocumentType = "document";
    private const int UpsertBatch = 256;

    private readonly QdrantClient _client;
    private readonly string _chunks;
    private readonly string _catalog;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _catalogReady;
    private int _chunkDimensions;

    public QdrantVectorStore(QdrantOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint ?? throw new ArgumentException("Qdrant:Endpoint is required.", nameof(options));
        _client = new QdrantClient(endpoint, string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey, options.Timeout, loggerFactory);
        _chunks = options.CollectionPrefix + "chunks";
        _catalog = options.CollectionPrefix + "catalog";
    }

    /// <summary>Qdrant's version, from its health call (the readiness check).</summary>
    public async Task<string> PingAsync(CancellationToken cancellationToken) => (await _client.HealthAsync(cancellationToken)).Version;

    public async Task CreateCollectionAsync(string tenant, CollectionDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        await EnsureChunksAsync(definition.Dimensions, cancellationToken);
        var id = P.Id(tenant, definition.Name);
        if ((await _client.RetrieveAsync(_catalog, id, withPayload: false, withVectors: false, cancellationToken: cancellationToken)).Count > 0)
        {
            throw new AlreadyExistsException("collection", definition.Name);
        }

        var point = CatalogPoint(id, tenant, definition.Name, CollectionType);
        point.Payload["kind"] = (long)definition.Kind;
        point.Payload["embedding_model"] = definition.EmbeddingModel;
        point.Payload["dimensions"] = definition.Dimensions;
        point.Payload["faq_threshold"] = definition.FaqThreshold;
        point.Payload["created_unix_ms"] = definition.CreatedAt.ToUnixTimeMilliseconds();
        await _client.UpsertAsync(_catalog, [point], wait: true, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<CollectionStats>> ListCollectionsAsync(string tenant, CancellationToken cancellationToken)
    {
        await EnsureCatalogAsync(cancellationToken);
        var filter = new Filter();
        filter.Must.Add(MatchKeyword(P.Tenant, tenant));
        filter.Must.Add(MatchKeyword(P.Type, CollectionType));
        var result = new List<CollectionStats>();
        PointId? offset = null;
        do
        {
            var page = await _client.ScrollAsync(_catalog, filter, 256, offset, payloadSelector: true, cancellationToken: cancellationToken);
            foreach (var point in page.Result)
            {
                result.Add(await StatsAsync(tenant, Definition(point.Payload), cancellationToken));
            }

            offset = page.NextPageOffset;
        }
        while (offset is not null);

        return [.. result.OrderBy(c => c.Definition.Name, StringComparer.Ordinal)];
    }

    public async Task<CollectionStats?> GetCollectionAsync(CollectionScope scope, CancellationToken cancellationToken)
    {
        await EnsureCatalogAsync(cancellationToken);
        var points = await _client.RetrieveAsync(_catalog, P.Id(scope.Tenant, scope.Collection), withPayload: true, withVectors: false, cancellationToken: cancellationToken);
        return points.Count == 0 || P.String(points[0].Payload, P.Tenant) != scope.Tenant || P.String(points[0].Payload, P.Type) != CollectionType
            ? null
            : await StatsAsync(scope.Tenant, Definition(points[0].Payload), cancellationToken);
    }

    public async Task<bool> DeleteCollectionAsync(CollectionScope scope, CancellationToken cancellationToken)
    {
        if (await GetCollectionAsync(scope, cancellationToken) is null)
        {
            return false;
        }

        // Chunks and document records first: a failure midway leaves the collection listed, so deleting it again finishes the job.
        if (_chunkDimensions > 0 || await _client.CollectionExistsAsync(_chunks, cancellationToken))
        {
            await _client.DeleteAsync(_chunks, P.Scope(scope.Tenant, scope.Collection), wait: true, cancellationToken: cancellationToken);
        }

        await _client.DeleteAsync(_catalog, P.Scope(scope.Tenant, scope.Collection), wait: true, cancellationToken: cancellationToken);
        return true;
    }

    public async Task<DocumentState?> GetDocumentAsync(CollectionScope scope, string documentId, CancellationToken cancellationToken)
    {
        await RequireAsync(scope, cancellationToken);
        var points = await _client.RetrieveAsync(_catalog, P.Id(scope.Tenant, scope.Collection, documentId), withPayload: true, withVectors: false, cancellationToken: cancellationToken);
        if (points.Count == 0 || P.String(points[0].Payload, P.Tenant) != scope.Tenant)
        {
            return null;
        }

        var payload = points[0].Payload;
        return new DocumentState(documentId, P.String(payload, "content_hash"), (DataClass)P.Integer(payload, P.Label), P.ReadMetadata(payload), (int)P.Integer(payload, "chunk_count"));
    }

    public void Dispose()
    {
        _client.Dispose();
        _setup.Dispose();
    }

    private async Task<CollectionStats> StatsAsync(string tenant, CollectionDefinition definition, CancellationToken cancellationToken)
    {
        var documents = P.Scope(tenant, definition.Name);
        documents.Must.Add(MatchKeyword(P.Type, DocumentType));
        var documentCount = await _client.CountAsync(_catalog, documents, exact: true, cancellationToken: cancellationToken);
        var chunkCount = _chunkDimensions > 0 || await _client.CollectionExistsAsync(_chunks, cancellationToken)
            ? await _client.CountAsync(_chunks, P.Chunks(tenant, definition.Name, null), exact: true, cancellationToken: cancellationToken)
            : 0UL;
        return new CollectionStats(definition, (long)documentCount, (long)chunkCount);
    }

    private async Task<CollectionDefinition> RequireAsync(CollectionScope scope, CancellationToken cancellationToken) =>
        (await GetCollectionAsync(scope, cancellationToken))?.Definition ?? throw new NotFoundException("collection", scope.Collection);

    private static CollectionDefinition Definition(Google.Protobuf.Collections.MapField<string, Value> payload) => new(
        P.String(payload, P.Collection), (CollectionKind)P.Integer(payload, "kind"), P.String(payload, "embedding_model"), (int)P.Integer(payload, "dimensions"),
        payload.TryGetValue("faq_threshold", out var t) ? t.DoubleValue : 0, DateTimeOffset.FromUnixTimeMilliseconds(P.Integer(payload, "created_unix_ms")));

    private static PointStruct CatalogPoint(Guid id, string tenant, string collection, string type) => new()
    {
        Id = id,
        Vectors = new Dictionary<string, float[]> { [P.DenseVector] = [1f] },
        Payload = { [P.Tenant] = tenant, [P.Collection] = collection, [P.Type] = type },
    };
}
