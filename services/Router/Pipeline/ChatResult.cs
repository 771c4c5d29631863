using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;

namespace HybridAI.Router.Pipeline;

/// <summary>A complete (non-streamed) answer and its decision.</summary>
public sealed record ChatResult(
    string Id, string Model, ChatMessage Message, string FinishReason, TokenUsage Usage, RoutingDecision Decision, IReadOnlyList<Citation> Citations);

/// <summary>Where a streamed answer goes (SSE or a gRPC stream). Nothing is written before <see cref="BeginAsync"/>.</summary>
public interface IChatStreamWriter
{
    /// <summary>The route is committed: what is known before the first token (route, model, reason, data class).</summary>
    ValueTask BeginAsync(string id, RoutingDecision decision, CancellationToken cancellationToken);

    ValueTask DeltaAsync(string content, IReadOnlyList<ToolCallDelta> toolCalls, CancellationToken cancellationToken);

    /// <summary>The last message: finish reason, usage, the final decision (with cost) and citations.</summary>
    ValueTask EndAsync(string finishReason, TokenUsage usage, RoutingDecision decision, IReadOnlyList<Citation> citations, CancellationToken cancellationToken);
}
