using Google.Protobuf.Collections;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Execution;

/// <summary>
/// The LLM tier: llm-proxy's <c>Complete</c> and <c>Stream</c> with the request's chain as the ordered fallback list (the
/// proxy never goes outside it), under <c>Router:LlmTimeout</c>, cancelled when the caller goes away. Its failures
/// become the pipeline's, keeping the proxy's attempt list (for fallback facts, receipts and partial cost).
/// </summary>
public sealed class LlmTier(LlmService.LlmServiceClient client, IOptions<RouterOptions> options)
{
    public static CompletionRequest BuildRequest(ChatCall call, TargetChain chain, RepeatedField<ChatMessage> messages, int? maxTokens)
    {
        var r = call.Request;
        var request = new CompletionRequest
        {
            Targets = { chain.Ids },
            Messages = { messages },
            Stop = { r.Stop },
            Tools = { r.Tools },
            ToolChoice = r.ToolChoice,
            ResponseFormatJson = r.ResponseFormatJson,
            Context = call.Caller.ToProto(),
            ModelHint = chain.ModelHint,
        };
        if (maxTokens is { } max)
        {
            request.MaxTokens = max;
        }

        if (r.HasTemperature)
        {
            request.Temperature = r.Temperature;
        }

        if (r.HasTopP)
        {
            request.TopP = r.TopP;
        }

        if (r.HasSeed)
        {
            request.Seed = r.Seed;
        }

        return request;
    }

    public async Task<CompletionResponse> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CompleteAsync(request, deadline: Deadline(), cancellationToken: cancellationToken);
        }
        catch (RpcException e)
        {
            throw Failure(e, cancellationToken);
        }
    }

    public AsyncServerStreamingCall<CompletionChunk> StartStream(CompletionRequest request, CancellationToken cancellationToken) =>
        client.Stream(request, deadline: Deadline(), cancellationToken: cancellationToken);

    /// <summary>The pipeline's failure for a failed proxy call, with the proxy's attempts and any partial usage.</summary>
    public static LlmFailureException Failure(RpcException e, CancellationToken cancellationToken)
    {
        var detail = e.GetRpcStatus()?.GetDetail<CompletionFailure>();
        var retry = e.GetRpcStatus()?.GetDetail<Google.Rpc.RetryInfo>()?.RetryDelay?.ToTimeSpan();
        var (kind, code) = e.StatusCode switch
        {
            StatusCode.Cancelled when cancellationToken.IsCancellationRequested => (FailureKind.Cancelled, "cancelled"),
            StatusCode.DeadlineExceeded => (FailureKind.Timeout, "upstream_timeout"),
            StatusCode.ResourceExhausted => (FailureKind.Exhausted, "upstream_rate_limited"),
            StatusCode.InvalidArgument => (FailureKind.InvalidArgument, "upstream_rejected"),
            _ => (FailureKind.Unavailable, "upstream_unavailable"),
        };
        var message = kind switch
        {
            FailureKind.Timeout => $"No allowed LLM target answered in time: {e.Status.Detail}",
            FailureKind.InvalidArgument => $"The LLM tier cannot serve this request: {e.Status.Detail}",
            _ => $"The LLM tier failed: {e.Status.Detail}",
        };
        return new LlmFailureException(kind, code, message, detail, e) { RetryAfter = retry };
    }

    private DateTime Deadline() => DateTime.UtcNow.Add(options.Value.LlmTimeout);
}

/// <summary>A failed LLM call: the pipeline's failure plus llm-proxy's account of it.</summary>
public sealed class LlmFailureException(FailureKind kind, string code, string message, CompletionFailure? detail, Exception inner)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    public string Code { get; } = code;

    /// <summary>Every attempt, and for a stream cut after content was sent, what was used (to settle the budget).</summary>
    public CompletionFailure? Detail { get; } = detail;

    public TimeSpan? RetryAfter { get; init; }

    public RoutingException ToRoutingException() => new(Kind, Code, Message, inner: this) { RetryAfter = RetryAfter };
}
