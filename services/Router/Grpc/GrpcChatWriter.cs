using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Pipeline;

namespace HybridAI.Router.Grpc;

/// <summary>A streamed answer as <c>StreamChat</c> messages: deltas, then one <c>done</c> with the decision; trailers repeat it.</summary>
public sealed class GrpcChatWriter(IServerStreamWriter<ChatCompletionChunk> stream, ServerCallContext context) : IChatStreamWriter
{
    private string _id = "";
    private string _model = "";

    public async ValueTask BeginAsync(string id, RoutingDecision decision, CancellationToken cancellationToken)
    {
        _id = id;
        _model = decision.Model;
        await context.WriteResponseHeadersAsync(new Metadata
        {
            { Contracts.HybridAIHeaders.Route, Http.DecisionMapper.RouteName(decision.Route) },
            { Contracts.HybridAIHeaders.Model, Http.DecisionMapper.HeaderValue(decision.Model) },
        });
    }

    public async ValueTask DeltaAsync(string content, IReadOnlyList<ToolCallDelta> toolCalls, CancellationToken cancellationToken)
    {
        var delta = new ChatDelta { Content = content };
        delta.ToolCalls.AddRange(toolCalls);
        await stream.WriteAsync(new ChatCompletionChunk { Delta = delta }, cancellationToken);
    }

    public async ValueTask EndAsync(string finishReason, TokenUsage usage, RoutingDecision decision, IReadOnlyList<Citation> citations,
        CancellationToken cancellationToken)
    {
        var done = new ChatCompletionDone
        {
            Id = _id,
            Model = decision.Model.Length > 0 ? decision.Model : _model,
            FinishReason = finishReason,
            Usage = usage,
            Decision = decision,
        };
        done.Citations.AddRange(citations);
        GrpcDecision.AddTrailers(context, decision);
        await stream.WriteAsync(new ChatCompletionChunk { Done = done }, cancellationToken);
    }
}
