using HybridAI.Retrieval.Errors;
using Qdrant.Client.Grpc;
using P = HybridAI.Retrieval.Storage.Qdrant.QdrantPayload;

namespace HybridAI.Retrieval.Storage.Qdrant;

public sealed partial class QdrantVectorStore
{
    /// <summary>Creates the catalog collection and its payload indexes once (idempotent, safe across replicas).</summary>
    private async Task EnsureCatalogAsync(CancellationToken cancellationToken)
    {
        if (_catalogReady)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (!_catalogReady)
            {
                if (!await _client.CollectionExistsAsync(_catalog, cancellationToken))
                {
                    await CreateAsync(_catalog, new VectorParams { Size = 1, Distance = Distance.Cosine }, null, cancellationToken);
                }

                await IndexAsync(_catalog, P.Tenant, PayloadSchemaType.Keyword, new PayloadIndexParams { KeywordIndexParams = new KeywordIndexParams { IsTenant = true } }, cancellationToken);
                await IndexAsync(_catalog, P.Collection, PayloadSchemaType.Keyword, null, cancellationToken);
                await IndexAsync(_catalog, P.Type, PayloadSchemaType.Keyword, null, cancellationToken);
                _catalogReady = true;
            }
        }
        finally
        {
            _setup.Release();
        }
    }

    /// <summary>
    /// Creates the chunks collection for vectors of <paramref name="dimensions"/> with its sparse BM25 vector and payload
    /// indexes, or checks that the existing one has that size.
    /// </summary>
    private async Task EnsureChunksAsync(int dimensions, CancellationToken cancellationToken)
    {
        await EnsureCatalogAsync(cancellationToken);
        if (_chunkDimensions == dimensions)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (!await _client.CollectionExistsAsync(_chunks, cancellationToken))
            {
                var sparse = new SparseVectorConfig();
                sparse.Map[P.SparseVector] = new SparseVectorParams { Modifier = Modifier.Idf };
                await CreateAsync(_chunks, new VectorParams { Size = (ulong)dimensions, Distance = Distance.Cosine }, sparse, cancellationToken);
            }
            else
            {
                var info = await _client.GetCollectionInfoAsync(_chunks, cancellationToken);
                var existing = info.Config.Params.VectorsConfig.ParamsMap?.Map.TryGetValue(P.DenseVector, out var dense) == true ? (long)dense.Size : -1;
                if (existing != dimensions)
                {
                    throw new PreconditionFailedException(
                        $"Qdrant collection '{_chunks}' holds vectors of {existing} dimensions, but the embedding model gives {dimensions}; use another Retrieval:Qdrant:CollectionPrefix for this model.",
                        _chunks, "EMBEDDING_MODEL");
                }
            }

            await IndexAsync(_chunks, P.Tenant, PayloadSchemaType.Keyword, new PayloadIndexParams { KeywordIndexParams = new KeywordIndexParams { IsTenant = true } }, cancellationToken);
            await IndexAsync(_chunks, P.Collection, PayloadSchemaType.Keyword, null, cancellationToken);
            await IndexAsync(_chunks, P.DocumentId, PayloadSchemaType.Keyword, null, cancellationToken);
            await IndexAsync(_chunks, P.Version, PayloadSchemaType.Keyword, null, cancellationToken);
            await IndexAsync(_chunks, P.Label, PayloadSchemaType.Integer, null, cancellationToken);
            await IndexAsync(_chunks, P.Committed, PayloadSchemaType.Bool, null, cancellationToken);
            _chunkDimensions = dimensions;
        }
        finally
        {
            _setup.Release();
        }
    }

    private async Task CreateAsync(string name, VectorParams dense, SparseVectorConfig? sparse, CancellationToken cancellationToken)
    {
        var vectors = new VectorParamsMap();
        vectors.Map[P.DenseVector] = dense;
        try
        {
            await _client.CreateCollectionAsync(name, vectors, sparseVectorsConfig: sparse, cancellationToken: cancellationToken);
        }
        catch (global::Grpc.Core.RpcException e) when (e.StatusCode == global::Grpc.Core.StatusCode.AlreadyExists)
        {
            // Another replica created it first.
        }
    }

    /// <summary>Creating an index that exists is accepted by Qdrant, so this runs at every start.</summary>
    private async Task IndexAsync(string collection, string field, PayloadSchemaType type, PayloadIndexParams? parameters, CancellationToken cancellationToken) =>
        await _client.CreatePayloadIndexAsync(collection, field, type, parameters, wait: true, cancellationToken: cancellationToken);
}
