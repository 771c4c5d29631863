using System.Runtime.CompilerServices;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Ingestion.Chunking;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Tenancy;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Ingestion;

/// <summary>
/// Ingests documents: all are checked, extracted and chunked first (a bad one refuses the request, nothing stored);
/// then, in groups large enough to fill slm-inference's batches, chunks whose document changed are embedded and each
/// document is stored atomically, replacing its previous chunks. A document whose content hash is unchanged is not
/// re-embedded (only a changed label or metadata is written). Progress is reported per document as it is stored; when
/// the encoder fails the documents stored so far stay, so re-sending the request resumes where it stopped.
/// </summary>
public sealed class IngestionService(IVectorStore store, CollectionService collections, IEmbeddingClient embeddings, EncoderInfo encoder,
    Chunker chunker, IOptions<RetrievalOptions> options, ILogger<IngestionService> logger)
{
    public async IAsyncEnumerable<IngestProgress> IngestAsync(string tenant, IngestRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = new CollectionScope(tenant, request.Collection);
        var collection = await collections.RequireAsync(scope, CollectionKind.Documents, cancellationToken);
        var prepared = new DocumentPreparation(chunker, options.Value).Prepare(request.Documents, collection.Definition.EmbeddingModel);
        using var activity = RetrievalTelemetry.Source.StartActivity("ingest");
        activity?.SetTag("hybridai.retrieval.documents", prepared.Count);

        var done = 0;
        var stored = 0;
        var group = new List<(PreparedDocument Document, DocumentState? Existing)>();
        var groupChunks = 0;
        var groupTarget = options.Value.EmbeddingBatchSize * options.Value.EmbeddingConcurrency;
        for (var i = 0; i < prepared.Count; i++)
        {
            var document = prepared[i];
            var existing = await store.GetDocumentAsync(scope, document.Id, cancellationToken);
            if (existing?.ContentHash == document.ContentHash)
            {
                var status = "unchanged";
                if (!existing.SameAttributes(document.Label, document.Metadata))
                {
                    await store.UpdateDocumentAttributesAsync(scope, existing with { Label = document.Label, Metadata = document.Metadata }, cancellationToken);
                    status = "updated";
                }

                yield return Progress(document, status, ++done, prepared.Count);
                continue;
            }

            group.Add((document, existing));
            groupChunks += document.Chunks.Count;
            if (groupChunks >= groupTarget || i == prepared.Count - 1)
            {
                var results = await StoreGroupAsync(scope, collection.Definition, group, cancellationToken);
                foreach (var result in results)
                {
                    stored += result.Status == "indexed" ? result.Chunks : 0;
                    result.DocumentsDone = ++done;
                    result.DocumentsTotal = prepared.Count;
                    yield return result;
                }

                if (results.FirstOrDefault(r => r.Status == "failed") is { } failed)
                {
                    throw new DependencyUnavailableException($"Ingestion stopped at document '{failed.DocumentId}' after {done - 1} of {prepared.Count}: {failed.Error} Documents already stored stay; send the request again to resume (unchanged documents are skipped).");
                }

                group.Clear();
                groupChunks = 0;
            }
        }

        yield return new IngestProgress { Status = "completed", Final = true, DocumentsDone = done, DocumentsTotal = prepared.Count, Chunks = stored };
    }

    private async Task<List<IngestProgress>> StoreGroupAsync(CollectionScope scope, CollectionDefinition collection,
        List<(PreparedDocument Document, DocumentState? Existing)> group, CancellationToken cancellationToken)
    {
        var texts = group.SelectMany(g => g.Document.Chunks.Select(c => EmbeddingText(c))).ToList();
        Embeddings.Embeddings vectors;
        try
        {
            vectors = await embeddings.EmbedAsync(texts, cancellationToken);
        }
        catch (DependencyUnavailableException e)
        {
            logger.LogWarning(e, "Embedding {Chunks} chunks of {Documents} documents for {Scope} failed.", texts.Count, group.Count, scope);
            RetrievalTelemetry.Documents.Add(group.Count, new KeyValuePair<string, object?>("status", "failed"));
            return [.. group.Select(g => new IngestProgress { DocumentId = g.Document.Id, Status = "failed", Error = e.Message })];
        }

        encoder.Observe(vectors);
        if (vectors.Model != collection.EmbeddingModel || vectors.Dimensions != collection.Dimensions)
        {
            throw new PreconditionFailedException(
                $"Collection '{scope.Collection}' holds {collection.EmbeddingModel} vectors of {collection.Dimensions} dimensions, but slm-inference now embeds with {vectors.Model} ({vectors.Dimensions}); create a new collection and ingest again.",
                scope.Collection, "EMBEDDING_MODEL");
        }

        var results = new List<IngestProgress>(group.Count);
        var offset = 0;
        foreach (var (document, _) in group)
        {
            var chunks = document.Chunks.Select((c, i) => new StoredChunk(c.Index, c.Title, c.Text, c.Start, c.End, vectors.Vectors[offset + i])).ToList();
            offset += chunks.Count;
            await store.ReplaceDocumentAsync(scope, new StoredDocument(
                new DocumentState(document.Id, document.ContentHash, document.Label, document.Metadata, chunks.Count), chunks), cancellationToken);
            RetrievalTelemetry.Chunks.Add(chunks.Count);
            results.Add(Progress(document, "indexed", 0, 0));
        }

        return results;
    }

    /// <summary>What is embedded for a chunk: its title path, then its text (the same text BM25 indexes).</summary>
    public static string EmbeddingText(Chunk chunk) => chunk.Title.Length == 0 ? chunk.Text : $"{chunk.Title}\n{chunk.Text}";

    public async Task<DeleteDocumentResponse> DeleteAsync(string tenant, DeleteDocumentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var scope = new CollectionScope(tenant, request.Collection);
        await collections.RequireAsync(scope, null, cancellationToken);
        var removed = await store.DeleteDocumentAsync(scope, request.DocumentId, cancellationToken)
            ?? throw new NotFoundException("document", request.DocumentId);
        return new DeleteDocumentResponse { Deleted = true, ChunksDeleted = removed };
    }

    private static IngestProgress Progress(PreparedDocument document, string status, int done, int total)
    {
        RetrievalTelemetry.Documents.Add(1, new KeyValuePair<string, object?>("status", status));
        return new IngestProgress { DocumentId = document.Id, Status = status, Chunks = document.Chunks.Count, DocumentsDone = done, DocumentsTotal = total };
    }
}
