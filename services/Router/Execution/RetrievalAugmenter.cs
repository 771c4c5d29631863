using System.Diagnostics;
using System.Text;
using Google.Protobuf.Collections;
using Grpc.Core;
using HybridAI.Contracts;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Pipeline;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Execution;

/// <summary>
/// Retrieval augmentation when a rule asks for it (<c>Retrieve: &lt;collection&gt;</c>): the best chunks for the last user
/// message go into a system message before the conversation, and become the answer's citations. Chunk labels can only
/// raise the request's data class; when an external target may serve, only chunks labelled internal or below are
/// asked for, so labelled content never leaves through augmentation (redaction cannot make a confidential chunk safe).
/// </summary>
public sealed partial class RetrievalAugmenter(RetrievalService.RetrievalServiceClient retrieval, IOptions<RouterOptions> options,
    ILogger<RetrievalAugmenter> logger)
{
    /// <summary>The messages to send: the request's, with the context added when anything was found.</summary>
    public async Task<RepeatedField<ChatMessage>> AugmentAsync(RoutedRequest request, string collection, bool leavesInfrastructure,
        CancellationToken cancellationToken)
    {
        var messages = request.Call.Request.Messages;
        var query = request.Call.LastUserText;
        if (query.Length == 0)
        {
            return messages;
        }

        var o = options.Value.Retrieval;
        var search = new SearchRequest
        {
            Collection = collection,
            Query = query,
            TopK = o.TopK,
            MinScore = o.MinScore,
            MaxLabel = leavesInfrastructure ? DataClass.Internal : DataClass.Unspecified,
        };
        var started = Stopwatch.GetTimestamp();
        SearchResponse response;
        try
        {
            response = await retrieval.SearchAsync(search, new Metadata
            {
                { HybridAIHeaders.Tenant, request.Caller.TenantId },
                { HybridAIHeaders.RequestId, request.Caller.RequestId },
            }, DateTime.UtcNow.Add(options.Value.RetrievalTimeout), cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            // Augmentation improves an answer; without it the request is still served, and the receipt says why.
            LogFailed(logger, collection, e.StatusCode, e.Status.Detail);
            request.Step("retrieval", collection, "error", Stopwatch.GetElapsedTime(started), e.StatusCode.ToString());
            return messages;
        }

        request.Step("retrieval", collection, response.Results.Count > 0 ? "ok" : "empty", Stopwatch.GetElapsedTime(started),
            $"{response.Results.Count} chunks");
        if (response.Results.Count == 0)
        {
            return messages;
        }

        request.Signals!.Raise(response.HighestLabel);
        var context = new StringBuilder(o.Instruction).Append("\n\n");
        for (var i = 0; i < response.Results.Count; i++)
        {
            var r = response.Results[i];
            context.Append('[').Append(i + 1).Append("] ").Append(r.Title.Length > 0 ? r.Title : r.DocumentId).Append('\n').Append(r.Text).Append("\n\n");
            request.Citations.Add(new Citation
            {
                Collection = collection,
                DocumentId = r.DocumentId,
                ChunkId = r.ChunkId,
                Start = r.Start,
                End = r.End,
                Score = r.Score,
            });
        }

        var augmented = new RepeatedField<ChatMessage> { new ChatMessage { Role = "system", Content = context.ToString().TrimEnd() } };
        augmented.AddRange(messages);
        return augmented;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrieval from {Collection} failed ({Status}: {Detail}); answering without augmentation")]
    private static partial void LogFailed(ILogger logger, string collection, StatusCode status, string detail);
}
