using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Tenancy;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Collections;

/// <summary>A tenant's collections: create, list, get, delete.</summary>
public sealed class CollectionService(IVectorStore store, EncoderInfo encoder, IOptions<RetrievalOptions> options, TimeProvider time)
{
    public async Task<Collection> CreateAsync(string tenant, CreateCollectionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<Problem>();
        ResourceRules.CheckCollectionName(request.Name, "name", problems);
        if (request.Kind is not (CollectionKind.Unspecified or CollectionKind.Documents or CollectionKind.Faq))
        {
            problems.Add(new Problem("kind", "must be documents or faq."));
        }

        if (request.HasFaqThreshold && (request.Kind != CollectionKind.Faq || request.FaqThreshold is < 0 or > 1 || double.IsNaN(request.FaqThreshold)))
        {
            problems.Add(new Problem("faq_threshold", request.Kind != CollectionKind.Faq ? "applies to faq collections only." : "must be a probability between 0 and 1."));
        }

        ValidationFailedException.ThrowIfAny("The collection", problems);
        var limit = options.Value.Limits.MaxCollectionsPerTenant;
        if ((await store.ListCollectionsAsync(tenant, cancellationToken)).Count >= limit)
        {
            throw new QuotaExceededException($"The tenant has {limit} collections, the most allowed (Retrieval:Limits:MaxCollectionsPerTenant); delete one first.");
        }

        var (model, dimensions) = await encoder.GetAsync(cancellationToken);
        var kind = request.Kind == CollectionKind.Unspecified ? CollectionKind.Documents : request.Kind;
        var threshold = kind == CollectionKind.Faq ? (request.HasFaqThreshold ? request.FaqThreshold : options.Value.Faq.DefaultThreshold) : 0;
        var definition = new CollectionDefinition(request.Name, kind, model, dimensions, threshold, time.GetUtcNow());
        await store.CreateCollectionAsync(tenant, definition, cancellationToken);
        RetrievalTelemetry.Collections.Add(1, new KeyValuePair<string, object?>("operation", "create"));
        return ToMessage(new CollectionStats(definition, 0, 0));
    }

    public async Task<ListCollectionsResponse> ListAsync(string tenant, CancellationToken cancellationToken)
    {
        var response = new ListCollectionsResponse();
        response.Collections.AddRange((await store.ListCollectionsAsync(tenant, cancellationToken)).Select(ToMessage));
        return response;
    }

    public async Task<Collection> GetAsync(string tenant, string name, CancellationToken cancellationToken) =>
        ToMessage(await RequireAsync(new CollectionScope(tenant, name), null, cancellationToken));

    public async Task<DeleteCollectionResponse> DeleteAsync(string tenant, string name, CancellationToken cancellationToken)
    {
        if (!ResourceRules.CollectionName().IsMatch(name) || !await store.DeleteCollectionAsync(new CollectionScope(tenant, name), cancellationToken))
        {
            throw new NotFoundException("collection", name);
        }

        RetrievalTelemetry.Collections.Add(1, new KeyValuePair<string, object?>("operation", "delete"));
        return new DeleteCollectionResponse { Deleted = true };
    }

    /// <summary>The collection, which must exist and, when <paramref name="kind"/> is given, be of that kind.</summary>
    public async Task<CollectionStats> RequireAsync(CollectionScope scope, CollectionKind? kind, CancellationToken cancellationToken)
    {
        if (!ResourceRules.CollectionName().IsMatch(scope.Collection))
        {
            throw new NotFoundException("collection", scope.Collection);
        }

        var collection = await store.GetCollectionAsync(scope, cancellationToken) ?? throw new NotFoundException("collection", scope.Collection);
        if (kind is { } expected && collection.Definition.Kind != expected)
        {
            var (what, instead) = expected == CollectionKind.Faq
                ? ("an faq collection", "search it, or match FAQs in an faq collection")
                : ("a documents collection", "add question/answer pairs with UpsertFaqs (POST …/faqs)");
            throw new PreconditionFailedException($"Collection '{scope.Collection}' is not {what}; {instead}.", scope.Collection, "COLLECTION_KIND");
        }

        return collection;
    }

    public static Collection ToMessage(CollectionStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var d = stats.Definition;
        var collection = new Collection
        {
            Name = d.Name,
            Kind = d.Kind,
            DocumentCount = stats.DocumentCount,
            ChunkCount = stats.ChunkCount,
            EmbeddingModel = d.EmbeddingModel,
            Dimensions = d.Dimensions,
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(d.CreatedAt),
        };
        if (d.Kind == CollectionKind.Faq)
        {
            collection.FaqThreshold = d.FaqThreshold;
        }

        return collection;
    }
}
