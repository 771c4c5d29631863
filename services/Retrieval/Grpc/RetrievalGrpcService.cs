using Grpc.Core;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Faq;
using HybridAI.Retrieval.Ingestion;
using HybridAI.Retrieval.Search;
using HybridAI.Retrieval.Tenancy;

namespace HybridAI.Retrieval.Grpc;

/// <summary>The <c>hybridai.retrieval.v1</c> gRPC API; every call's tenant is the <c>x-hybridai-tenant</c> metadata.</summary>
public sealed class RetrievalGrpcService(CollectionService collections, IngestionService ingestion, SearchService search, FaqService faqs)
    : RetrievalService.RetrievalServiceBase
{
    public override Task<Collection> CreateCollection(CreateCollectionRequest request, ServerCallContext context) =>
        collections.CreateAsync(TenantResolver.From(context), request, context.CancellationToken);

    public override Task<ListCollectionsResponse> ListCollections(ListCollectionsRequest request, ServerCallContext context) =>
        collections.ListAsync(TenantResolver.From(context), context.CancellationToken);

    public override Task<Collection> GetCollection(GetCollectionRequest request, ServerCallContext context) =>
        collections.GetAsync(TenantResolver.From(context), request.Name, context.CancellationToken);

    public override Task<DeleteCollectionResponse> DeleteCollection(DeleteCollectionRequest request, ServerCallContext context) =>
        collections.DeleteAsync(TenantResolver.From(context), request.Name, context.CancellationToken);

    public override async Task Ingest(IngestRequest request, IServerStreamWriter<IngestProgress> responseStream, ServerCallContext context)
    {
        var tenant = TenantResolver.From(context);
        await foreach (var progress in ingestion.IngestAsync(tenant, request, context.CancellationToken))
        {
            await responseStream.WriteAsync(progress, context.CancellationToken);
        }
    }

    public override Task<DeleteDocumentResponse> DeleteDocument(DeleteDocumentRequest request, ServerCallContext context) =>
        ingestion.DeleteAsync(TenantResolver.From(context), request, context.CancellationToken);

    public override Task<UpsertFaqsResponse> UpsertFaqs(UpsertFaqsRequest request, ServerCallContext context) =>
        faqs.UpsertAsync(TenantResolver.From(context), request, context.CancellationToken);

    public override Task<SearchResponse> Search(SearchRequest request, ServerCallContext context) =>
        search.SearchAsync(TenantResolver.From(context), request, context.CancellationToken);

    public override Task<MatchFaqResponse> MatchFaq(MatchFaqRequest request, ServerCallContext context) =>
        faqs.MatchAsync(TenantResolver.From(context), request, context.CancellationToken);
}
