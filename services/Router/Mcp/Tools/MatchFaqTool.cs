using Grpc.Core;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp.Tools;

/// <summary>
/// <c>match_faq</c>: the best FAQ pair for a question, from one named collection or, by default, the collections the
/// router answers from (<c>Router:Slm:FaqCollections</c>), with whether it reaches the policy's FAQ answer threshold.
/// </summary>
public sealed class MatchFaqTool(IHttpContextAccessor http, McpTelemetry telemetry, RetrievalService.RetrievalServiceClient retrieval,
    PolicyProvider policies, IOptions<RouterOptions> options)
    : RouterTool(http, telemetry, "match_faq", "Match an FAQ answer",
        "Finds the FAQ pair in your knowledge base that best answers a question: its question, answer, id, calibrated score " +
        "(the estimated probability that it answers the question) and sensitivity label, or matched false when no pair scores " +
        "above the collection's threshold. above_answer_threshold says whether the score reaches the threshold at which " +
        "HybridAI's routing answers straight from the FAQ instead of calling a model (answer_threshold).",
        $$"""
        {
          "type": "object",
          "properties": {
            "query": { "type": "string", "minLength": 1, "maxLength": 4000, "description": "The question to match." },
            "collection": { "type": "string", "pattern": "{{RetrievalCalls.CollectionPattern}}", "description": "An FAQ collection to search; by default the collections routing answers from (usually faq)." }
          },
          "required": ["query"],
          "additionalProperties": false
        }
        """, McpJsonContext.Default.FaqMatchResultDto, readOnly: true)
{
    protected override async Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var query = arguments.Text("query", required: true, 4000);
        var named = arguments.Text("collection", required: false, 63);
        arguments.ThrowIfInvalid();

        // A named collection must exist; among the configured defaults a missing one is simply not searched, as in routing.
        IReadOnlyList<string> collections = named is null ? options.Value.Slm.ResolvedFaqCollections : [named];
        FaqMatch? best = null;
        string? bestCollection = null;
        foreach (var collection in collections)
        {
            try
            {
                var response = await retrieval.MatchFaqAsync(new MatchFaqRequest { Collection = collection, Query = query! },
                    RetrievalCalls.Headers(caller), DateTime.UtcNow.Add(options.Value.RetrievalTimeout), cancellationToken);
                if (response.Match is { } match && (best is null || match.Score > best.Score))
                {
                    (best, bestCollection) = (match, collection);
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound && named is null)
            {
                // The tenant has no such default collection: nothing to match there.
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
            {
                throw RetrievalCalls.Translate(e, collection);
            }
        }

        var threshold = policies.Current.Thresholds.FaqScore;
        return ToolResults.Success(new FaqMatchResultDto
        {
            Matched = best is not null,
            Collections = [.. collections],
            Match = best is null ? null : new FaqMatchDto
            {
                Id = best.Id,
                Collection = best.Collection.Length > 0 ? best.Collection : bestCollection!,
                Question = best.Question,
                Answer = best.Answer,
                Score = best.Score,
                Label = DataClasses.Name(best.Label),
            },
            AnswerThreshold = threshold,
            AboveAnswerThreshold = best is not null && best.Score >= threshold,
        }, McpJsonContext.Default.FaqMatchResultDto);
    }
}
