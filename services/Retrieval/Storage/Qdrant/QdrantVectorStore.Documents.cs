using HybridAI.Retrieval.Tenancy;
using Qdrant.Client.Grpc;
using P = HybridAI.Retrieval.Storage.Qdrant.QdrantPayload;
using static Qdrant.Client.Grpc.Conditions;

namespace HybridAI.Retrieval.Storage.Qdrant;

public sealed partial class QdrantVectorStore
{
    public async Task ReplaceDocumentAsync(CollectionScope scope, StoredDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var definition = await RequireAsync(scope, cancellationToken);
        await EnsureChunksAsync(definition.Dimensions, cancellationToken);
        var state = document.State;
        var version = Guid.NewGuid().ToString("N");
        var points = document.Chunks.Select(chunk => new PointStruct
        {
            Id = P.Id(scope.Tenant, scope.Collection, state.Id, version, chunk.Index.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Vectors = Vectors(chunk),
            Payload =
            {
                [P.Tenant] = scope.Tenant,
                [P.Collection] = scope.Collection,
                [P.DocumentId] = state.Id,
                [P.Version] = version,
                [P.Committed] = false,
                [P.Label] = (long)state.Label,
                [P.Metadata] = P.MetadataValue(state.Metadata),
                ["chunk_index"] = chunk.Index,
                ["title"] = chunk.Title,
                ["text"] = chunk.Text,
                ["start"] = chunk.Start,
                ["end"] = chunk.End,
            },
        }).ToList();

        try
        {
            foreach (var batch in points.Chunk(UpsertBatch))
            {
                await _client.UpsertAsync(_chunks, batch, wait: true, cancellationToken: cancellationToken);
            }
        }
        catch
        {
            // Uncommitted points are invisible to searches; removing them is tidiness, and the next replace removes any left.
            await _client.DeleteAsync(_chunks, Version(scope, state.Id, version), wait: false, cancellationToken: CancellationToken.None);
            throw;
        }

        var others = Document(scope, state.Id);
        others.MustNot.Add(MatchKeyword(P.Version, version));
        await _client.UpdateBatchAsync(_chunks,
        [
            new PointsUpdateOperation { SetPayload = new PointsUpdateOperation.Types.SetPayload { Payload = { [P.Committed] = true }, PointsSelector = new PointsSelector { Filter = Version(scope, state.Id, version) } } },
            new PointsUpdateOperation { DeletePoints = new PointsUpdateOperation.Types.DeletePoints { Points = new PointsSelector { Filter = others } } },
        ], wait: true, cancellationToken: cancellationToken);

        await WriteDocumentRecordAsync(scope, state with { ChunkCount = document.Chunks.Count }, cancellationToken);
    }

    public async Task<bool> UpdateDocumentAttributesAsync(CollectionScope scope, DocumentState attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var existing = await GetDocumentAsync(scope, attributes.Id, cancellationToken);
        if (existing is null)
        {
            return false;
        }

        await _client.SetPayloadAsync(_chunks, new Dictionary<string, Value> { [P.Label] = (long)attributes.Label, [P.Metadata] = P.MetadataValue(attributes.Metadata) },
            Document(scope, attributes.Id), wait: true, cancellationToken: cancellationToken);
        await WriteDocumentRecordAsync(scope, existing with { Label = attributes.Label, Metadata = attributes.Metadata }, cancellationToken);
        return true;
    }

    public async Task<int?> DeleteDocumentAsync(CollectionScope scope, string documentId, CancellationToken cancellationToken)
    {
        var existing = await GetDocumentAsync(scope, documentId, cancellationToken);
        if (existing is null)
        {
            return null;
        }

        await _client.DeleteAsync(_chunks, Document(scope, documentId), wait: true, cancellationToken: cancellationToken);
        await _client.DeleteAsync(_catalog, P.Id(scope.Tenant, scope.Collection, documentId), wait: true, cancellationToken: cancellationToken);
        return existing.ChunkCount;
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchVectorAsync(CollectionScope scope, ReadOnlyMemory<float> query, int limit, ChunkFilter filter, CancellationToken cancellationToken)
    {
        await RequireAsync(scope, cancellationToken);
        var points = await _client.QueryAsync(_chunks, query: query.ToArray(), usingVector: P.DenseVector, filter: P.Chunks(scope.Tenant, scope.Collection, filter),
            limit: (ulong)limit, payloadSelector: true, cancellationToken: cancellationToken);
        return [.. points.Select(Hit)];
    }

    public async Task<IReadOnlyList<ChunkHit>> SearchKeywordAsync(CollectionScope scope, string query, int limit, ChunkFilter filter, CancellationToken cancellationToken)
    {
        await RequireAsync(scope, cancellationToken);
        var (values, indices) = P.QueryVector(query);
        if (indices.Length == 0)
        {
            return [];
        }

        var points = await _client.QueryAsync(_chunks, query: (values, indices), usingVector: P.SparseVector, filter: P.Chunks(scope.Tenant, scope.Collection, filter),
            limit: (ulong)limit, payloadSelector: true, cancellationToken: cancellationToken);
        return [.. points.Select(Hit)];
    }

    private async Task WriteDocumentRecordAsync(CollectionScope scope, DocumentState state, CancellationToken cancellationToken)
    {
        var point = CatalogPoint(P.Id(scope.Tenant, scope.Collection, state.Id), scope.Tenant, scope.Collection, DocumentType);
        point.Payload[P.DocumentId] = state.Id;
        point.Payload["content_hash"] = state.ContentHash;
        point.Payload[P.Label] = (long)state.Label;
        point.Payload[P.Metadata] = P.MetadataValue(state.Metadata);
        point.Payload["chunk_count"] = state.ChunkCount;
        await _client.UpsertAsync(_catalog, [point], wait: true, cancellationToken: cancellationToken);
    }

    /// <summary>The dense vector, and the BM25 sparse vector unless the chunk has no terms (stop words only).</summary>
    private static Dictionary<string, Vector> Vectors(StoredChunk chunk)
    {
        var vectors = new Dictionary<string, Vector> { [P.DenseVector] = chunk.Vector };
        if (P.DocumentVector(chunk.KeywordText) is { } sparse)
        {
            vectors[P.SparseVector] = sparse;
        }

        return vectors;
    }

    private static Filter Document(CollectionScope scope, string documentId)
    {
        var filter = P.Scope(scope.Tenant, scope.Collection);
        filter.Must.Add(MatchKeyword(P.DocumentId, documentId));
        return filter;
    }

    private static Filter Version(CollectionScope scope, string documentId, string version)
    {
        var filter = Document(scope, documentId);
        filter.Must.Add(MatchKeyword(P.Version, version));
        return filter;
    }

    private static ChunkHit Hit(ScoredPoint point)
    {
        var p = point.Payload;
        return new ChunkHit(P.String(p, P.DocumentId), (int)P.Integer(p, "chunk_index"), P.String(p, "title"), P.String(p, "text"), (int)P.Integer(p, "start"), (int)P.Integer(p, "end"),
            (Contracts.Common.V1.DataClass)P.Integer(p, P.Label), P.ReadMetadata(p), point.Score);
    }
}
