using System.Diagnostics;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Retrieval.Collections;
using HybridAI.Retrieval.Embeddings;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Labels;
using HybridAI.Retrieval.Storage;
using HybridAI.Retrieval.Tenancy;
using Microsoft.Extensions.Options;

namespace HybridAI.Retrieval.Search;

/// <summary>
/// Hybrid search: the query's embedding against chunk vectors and its BM25 terms against the inverted index, both inside
/// the store with the tenant, collection, label and metadata conditions in the query, then fused (<see cref="ScoreFusion"/>).
/// </summary>
public sealed class SearchService(IVectorStore store, CollectionService collections, IEmbeddingClient embeddings, IOptions<RetrievalOptions> options)
{
    public async Task<SearchResponse> SearchAsync(string tenant, SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value.Search;
        var topK = request.TopK == 0 ? settings.DefaultTopK : request.TopK;
        var filter = Validate(request, topK);
        var scope = new CollectionScope(tenant, request.Collection);
        await collections.RequireAsync(scope, null, cancellationToken);

        var started = Stopwatch.GetTimestamp();
        using var activity = RetrievalTelemetry.Source.StartActivity("search");
        var mode = request.Mode;
        activity?.SetTag("hybridai.retrieval.mode", ModeName(mode));
        var candidates = mode == SearchMode.Hybrid ? Math.Max(topK * settings.CandidateMultiplier, 50) : topK;

        var vectorTask = mode == SearchMode.Keyword
            ? Task.FromResult<IReadOnlyList<ChunkHit>>([])
            : SearchVectorAsync(scope, request.Query, candidates, filter, cancellationToken);
        var keywordTask = mode == SearchMode.Vector
            ? Task.FromResult<IReadOnlyList<ChunkHit>>([])
            : store.SearchKeywordAsync(scope, request.Query, candidates, filter, cancellationToken);
        var vector = await vectorTask;
        var keyword = await keywordTask;

        IEnumerable<FusedHit> ranked = mode switch
        {
            SearchMode.Vector => vector.Select(h => new FusedHit(h, h.Score, h.Score, 0)),
            SearchMode.Keyword => keyword.Select(h => new FusedHit(h, h.Score, 0, h.Score)),
            _ => ScoreFusion.Fuse(settings.Fusion, vector, keyword, request.HasVectorWeight ? request.VectorWeight : settings.VectorWeight, settings.RrfK),
        };

        var response = new SearchResponse();
        foreach (var hit in ranked.Where(h => h.Score >= request.MinScore).Take(topK))
        {
            var c = hit.Chunk;
            var result = new SearchResult
            {
                DocumentId = c.DocumentId,
                ChunkId = c.ChunkId,
                Text = c.Text,
                Title = c.Title,
                Score = hit.Score,
                VectorScore = hit.VectorScore,
                KeywordScore = hit.KeywordScore,
                Label = c.Label,
                Start = c.Start,
                End = c.End,
            };
            foreach (var (key, value) in c.Metadata)
            {
                result.Metadata[key] = value;
            }

            response.Results.Add(result);
            response.HighestLabel = c.Label > response.HighestLabel ? c.Label : response.HighestLabel;
        }

        RetrievalTelemetry.SearchDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("mode", ModeName(mode)));
        return response;
    }

    private async Task<IReadOnlyList<ChunkHit>> SearchVectorAsync(CollectionScope scope, string query, int limit, ChunkFilter filter, CancellationToken cancellationToken)
    {
        var embedded = await embeddings.EmbedAsync([query], cancellationToken);
        return await store.SearchVectorAsync(scope, embedded.Vectors[0], limit, filter, cancellationToken);
    }

    private ChunkFilter Validate(SearchRequest request, int topK)
    {
        var settings = options.Value;
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            problems.Add(new Problem("query", "is required."));
        }
        else if (request.Query.Length > settings.Search.MaxQueryCharacters)
        {
            problems.Add(new Problem("query", $"has {request.Query.Length} characters; at most {settings.Search.MaxQueryCharacters} (Retrieval:Search:MaxQueryCharacters)."));
        }

        if (topK < 1 || topK > settings.Search.MaxTopK)
        {
            problems.Add(new Problem("top_k", $"must be between 1 and {settings.Search.MaxTopK} (Retrieval:Search:MaxTopK), not {request.TopK}."));
        }

        if (double.IsNaN(request.MinScore) || request.MinScore < 0)
        {
            problems.Add(new Problem("min_score", "must be 0 or more."));
        }

        if (request.MaxLabel != DataClass.Unspecified && !SensitivityLabels.IsDefined(request.MaxLabel))
        {
            problems.Add(new Problem("max_label", $"must be {SensitivityLabels.Expected}."));
        }

        if (request.HasVectorWeight && (double.IsNaN(request.VectorWeight) || request.VectorWeight is < 0 or > 1 || request.Mode != SearchMode.Hybrid))
        {
            problems.Add(new Problem("vector_weight", request.Mode != SearchMode.Hybrid ? "applies to hybrid search only." : "must be between 0 and 1."));
        }

        if (request.Mode is not (SearchMode.Hybrid or SearchMode.Vector or SearchMode.Keyword))
        {
            problems.Add(new Problem("mode", "must be hybrid, vector or keyword."));
        }

        ResourceRules.CheckMetadata(request.Filter, settings.Limits.MaxMetadataEntries, "filter", problems);
        ValidationFailedException.ThrowIfAny("The search", problems);
        return new ChunkFilter(request.MaxLabel, new Dictionary<string, string>(request.Filter, StringComparer.Ordinal));
    }

    public static string ModeName(SearchMode mode) => mode switch
    {
        SearchMode.Vector => "vector",
        SearchMode.Keyword => "keyword",
        _ => "hybrid",
    };
}
