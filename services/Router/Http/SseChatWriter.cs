using HybridAI.Contracts;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;

namespace HybridAI.Router.Http;

/// <summary>
/// A streamed answer as OpenAI's SSE: a first chunk with the assistant role, content chunks, a chunk with the finish
/// reason, then (with <c>stream_options.include_usage</c>) a chunk with no choices and the usage, and <c>[DONE]</c>. The
/// decision's headers go out with the first chunk; its final facts (cost) are in the last chunk's <c>hybridai</c>
/// object and, where the connection carries trailers (HTTP/2, chunked HTTP/1.1), in an <c>x-hybridai-cost-usd</c> trailer.
/// </summary>
public sealed class SseChatWriter(HttpContext context, string model, bool includeUsage) : IChatStreamWriter
{
    private readonly ServerSentEvents _events = new(context.Response);
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private string _id = "";
    private string _model = model;

    public bool Started => _events.Started;

    public async ValueTask BeginAsync(string id, RoutingDecision decision, CancellationToken cancellationToken)
    {
        _id = id;
        _model = decision.Model.Length > 0 ? decision.Model : _model;
        DecisionMapper.ApplyHeaders(context.Response, decision, withCost: false);
        if (context.Response.SupportsTrailers())
        {
            context.Response.DeclareTrailer(HybridAIHeaders.CostUsd);
        }

        _events.Start();
        await WriteAsync(new DeltaDto { Role = "assistant", Content = "" }, null, null, null, cancellationToken);
    }

    public async ValueTask DeltaAsync(string content, IReadOnlyList<ToolCallDelta> toolCalls, CancellationToken cancellationToken)
    {
        var delta = new DeltaDto
        {
            Content = content.Length > 0 || toolCalls.Count == 0 ? content : null,
            ToolCalls = toolCalls.Count == 0 ? null : [.. toolCalls.Select(t => new ToolCallDto
            {
                Index = t.Index,
                Id = t.Id.Length > 0 ? t.Id : null,
                Function = new FunctionCallDto { Name = t.Name.Length > 0 ? t.Name : null, Arguments = t.ArgumentsFragment },
            })],
        };
        await WriteAsync(delta, null, null, null, cancellationToken);
    }

    public async ValueTask EndAsync(string finishReason, TokenUsage usage, RoutingDecision decision, IReadOnlyList<Citation> citations,
        CancellationToken cancellationToken)
    {
        var hybrid = DecisionMapper.ToDto(decision, context.Request.Headers[HybridAIHeaders.RequestId].ToString() is { Length: > 0 } r ? r : _id, citations);
        if (includeUsage)
        {
            await WriteAsync(new DeltaDto(), finishReason, null, null, cancellationToken);
            await _events.WriteAsync(new ChatCompletionChunkDto
            {
                Id = _id,
                Created = _created,
                Model = _model,
                Choices = [],
                Usage = ChatResponseMapper.Usage(usage),
                HybridAi = hybrid,
            }, OpenAiJsonContext.Default.ChatCompletionChunkDto, cancellationToken);
        }
        else
        {
            await WriteAsync(new DeltaDto(), finishReason, null, hybrid, cancellationToken);
        }

        if (context.Response.SupportsTrailers())
        {
            context.Response.AppendTrailer(HybridAIHeaders.CostUsd, DecisionMapper.CostText(decision.CostMicros));
        }

        await _events.WriteDoneAsync(cancellationToken);
    }

    /// <summary>A failure after the stream started: an error event (OpenAI's shape), and the stream ends without [DONE].</summary>
    public async Task FailAsync(OpenAiException error, HybridAiDecisionDto? decision, CancellationToken cancellationToken) =>
        await _events.WriteAsync(new StreamErrorDto
        {
            Error = new ErrorDto { Message = error.Message, Type = error.Type, Code = error.Code },
            HybridAi = decision,
        }, OpenAiJsonContext.Default.StreamErrorDto, cancellationToken);

    private async ValueTask WriteAsync(DeltaDto delta, string? finishReason, UsageDto? usage, HybridAiDecisionDto? hybrid, CancellationToken cancellationToken)
    {
        var chunk = new ChatCompletionChunkDto
        {
            Id = _id,
            Created = _created,
            Model = _model,
            Choices = [new ChunkChoiceDto { Index = 0, Delta = delta, FinishReason = finishReason }],
            Usage = usage,
            HybridAi = hybrid,
        };
        await _events.WriteAsync(chunk, OpenAiJsonContext.Default.ChatCompletionChunkDto, cancellationToken);
    }
}
