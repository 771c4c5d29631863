using Grpc.Core;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp.Tools;

/// <summary><c>search_collection</c>: hybrid (vector + keyword) search over one of the tenant's collections.</summary>
public sealed class SearchCollectionTool(IHttpContextAccessor http, McpTelemetry telemetry, RetrievalService.RetrievalServiceClient retrieval,
    IOptions<RouterOptions> options)
    : RouterTool(http, telemetry, "search_collection", "Search a knowledge collection",
        "Searches one of your HybridAI knowledge collections (documents or FAQ pairs) and returns the best chunks, best first: " +
        "text, title, document id, character span, fused score (and the vector and keyword scores it came from) and the " +
        "chunk's sensitivity label. Only your own collections are visible; any other name is 'not found'.",
        $$"""
        {
          "type": "object",
          "properties": {
            "collection": { "type": "string", "pattern": "{{RetrievalCalls.CollectionPattern}}", "description": "The collection's name, e.g. docs or faq." },
            "query": { "type": "string", "minLength": 1, "maxLength": 4000, "description": "What to search for, in natural language or keywords." },
            "top_k": { "type": "integer", "minimum": 1, "maximum": 50, "default": 5, "description": "How many chunks to return." },
            "min_score": { "type": "number", "minimum": 0, "maximum": 1000, "default": 0, "description": "Leave out chunks scoring below this (hybrid scores are in [0, 1])." },
            "mode": { "type": "string", "enum": ["hybrid", "vector", "keyword"], "default": "hybrid", "description": "hybrid fuses semantic (vector) and BM25 keyword ranking." },
            "max_label": { "type": "string", "enum": ["public", "internal", "confidential", "restricted"], "description": "Only return chunks labelled at or below this sensitivity." }
          },
          "required": ["collection", "query"],
          "additionalProperties": false
        }
        """, McpJsonContext.Default.SearchResultDto, readOnly: true)
{
    protected override async Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var collection = arguments.Text("collection", required: true, 63);
        var query = arguments.Text("query", required: true, 4000);
        var topK = arguments.WholeNumber("top_k", required: false, 1, 50) ?? 5;
        var minScore = arguments.Number("min_score", required: false, 0, 1000) ?? 0;
        var mode = arguments.Choice("mode", required: false, "hybrid", "vector", "keyword") ?? "hybrid";
        var maxLabel = arguments.Choice("max_label", required: false, "public", "internal", "confidential", "restricted");
        arguments.ThrowIfInvalid();

        var request = new SearchRequest
        {
            Collection = collection!,
            Query = query!,
            TopK = topK,
            MinScore = minScore,
            Mode = mode switch { "vector" => SearchMode.Vector, "keyword" => SearchMode.Keyword, _ => SearchMode.Hybrid },
        };
        if (maxLabel is not null && DataClasses.TryParse(maxLabel, out var label))
        {
            request.MaxLabel = label;
        }

        SearchResponse response;
        try
        {
            response = await retrieval.SearchAsync(request, RetrievalCalls.Headers(caller), DateTime.UtcNow.Add(options.Value.RetrievalTimeout), cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            throw RetrievalCalls.Translate(e, request.Collection);
        }

        return ToolResults.Success(new SearchResultDto
        {
            Collection = request.Collection,
            Results = [.. response.Results.Select(r => new SearchHitDto
            {
                DocumentId = r.DocumentId,
                ChunkId = r.ChunkId,
                Title = r.Title.Length > 0 ? r.Title : null,
                Text = r.Text,
                Score = r.Score,
                VectorScore = r.VectorScore,
                KeywordScore = r.KeywordScore,
                Label = DataClasses.Name(r.Label),
                Start = r.Start,
                End = r.End,
                Metadata = r.Metadata.Count > 0 ? new Dictionary<string, string>(r.Metadata) : null,
            })],
            HighestLabel = DataClasses.Name(response.HighestLabel),
        }, McpJsonContext.Default.SearchResultDto);
    }
}
