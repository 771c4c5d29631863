using System.Diagnostics;
using System.Text;
using Google.Protobuf.Collections;
using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Execution;
using HybridAI.Router.Privacy;
using HybridAI.Router.Tools;

namespace HybridAI.Router.Pipeline;

public sealed partial class RoutingPipeline
{
    /// <summary>
    /// The server-side tool loop (<c>hybridai.tools: "auto"</c>), streamed: every turn is a stream from llm-proxy whose
    /// text goes to the client as it arrives (the answer of the last turn, and any words the model says before calling
    /// a tool), while its tool calls are collected and run by <see cref="ToolLoop"/>. Calls of the client's own tools
    /// reach the client at the end, as OpenAI streams them.
    /// </summary>
    private async Task StreamToolLoopAsync(RoutedRequest request, RepeatedField<ChatMessage> messages, ToolSet tools, IChatStreamWriter writer,
        CancellationToken cancellationToken)
    {
        var redaction = RedactForToolLoop(request, ref messages);

        var completion = LlmTier.BuildRequest(request.Call, request.Chain, messages, request.MaxTokens);
        var state = new StreamedTurns(writer, Id(request));
        var response = await toolLoop.RunAsync(request, completion, tools, redaction,
            (c, turn, ct) => StreamTurnAsync(request, c, turn, redaction, state, ct), cancellationToken);
        Served(request, response.Model, response.Usage, response.CostMicros);
        Account(request);

        var message = response.Message ?? new ChatMessage { Role = "assistant" };
        await state.BeginAsync(request, cancellationToken);
        if (!state.SentText && message.Content.Length > 0)
        {
            // Only when the loop wrote the answer itself (the model kept calling tools past the limit).
            await writer.DeltaAsync(redaction is null ? message.Content : redaction.Restore(message.Content), [], cancellationToken);
        }

        if (message.ToolCalls.Count > 0)
        {
            await writer.DeltaAsync("", [.. message.ToolCalls.Select((c, i) => new ToolCallDelta
            {
                Index = i,
                Id = c.Id,
                Name = c.Name,
                ArgumentsFragment = redaction is null ? c.ArgumentsJson : redaction.Restore(c.ArgumentsJson),
            })], cancellationToken);
        }

        request.AnswerText = state.Text;
        await writer.EndAsync(response.FinishReason, request.Usage, request.ToDecision(), request.Citations, cancellationToken);
    }

    /// <summary>
    /// One turn of the streamed loop under its own budget reservation, as <see cref="CallLlmAsync"/>: text is written to
    /// the client as it comes (placeholders restored), tool calls are assembled from their deltas, and the turn is
    /// returned whole for the loop to carry on with.
    /// </summary>
    private async Task<CompletionResponse> StreamTurnAsync(RoutedRequest request, CompletionRequest completion, int turn, IRedaction? redaction,
        StreamedTurns state, CancellationToken cancellationToken)
    {
        var caller = turn == 0 ? request.Caller : request.Caller with { RequestId = $"{request.Caller.RequestId}.turn-{turn}" };
        var reservation = await budget.ReserveAsync(caller, request.ReservedMicros, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var restorer = redaction?.StreamRestorer();
        var text = new StringBuilder();
        var calls = new SortedDictionary<int, (ToolCall Call, StringBuilder Arguments)>();
        try
        {
            using var stream = llm.StartStream(completion, cancellationToken);
            while (await stream.ResponseStream.MoveNext(cancellationToken))
            {
                var chunk = stream.ResponseStream.Current;
                if (chunk.Delta is { } delta)
                {
                    text.Append(delta.Content);
                    var content = restorer is null ? delta.Content : restorer.Push(delta.Content);
                    if (content.Length > 0)
                    {
                        await state.TextAsync(request, delta.Model, content, cancellationToken);
                    }

                    foreach (var part in delta.ToolCalls)
                    {
                        if (!calls.TryGetValue(part.Index, out var call))
                        {
                            call = (new ToolCall(), new StringBuilder());
                            calls[part.Index] = call;
                        }

                        call.Call.Id = part.Id.Length > 0 ? part.Id : call.Call.Id;
                        call.Call.Name = part.Name.Length > 0 ? part.Name : call.Call.Name;
                        call.Call.ArgumentsError = part.ArgumentsError.Length > 0 ? part.ArgumentsError : call.Call.ArgumentsError;
                        call.Arguments.Append(part.ArgumentsFragment);
                    }
                }
                else if (chunk.Done is { } done)
                {
                    if (restorer?.Flush() is { Length: > 0 } rest)
                    {
                        await state.TextAsync(request, done.Model, rest, cancellationToken);
                    }

                    await budget.SettleAsync(reservation, done.CostMicros);
                    RecordAttempts(request, done.Attempts, Stopwatch.GetElapsedTime(started));
                    latency.Observe(done.Model, Stopwatch.GetElapsedTime(started));
                    var message = new ChatMessage { Role = "assistant", Content = text.ToString() };
                    foreach (var (_, (call, arguments)) in calls)
                    {
                        call.ArgumentsJson = arguments.ToString();
                        message.ToolCalls.Add(call);
                    }

                    return new CompletionResponse
                    {
                        Model = done.Model,
                        UpstreamModel = done.UpstreamModel,
                        Message = message,
                        FinishReason = done.FinishReason,
                        Usage = done.Usage,
                        CostMicros = done.CostMicros,
                        Attempts = { done.Attempts },
                    };
                }
            }

            throw RoutingException.Unavailable("upstream_unavailable", "llm-proxy ended the stream without its final message.");
        }
        catch (RpcException e)
        {
            var failure = LlmTier.Failure(e, cancellationToken);
            RecordAttempts(request, failure.Detail?.Attempts, Stopwatch.GetElapsedTime(started));
            if (failure.Detail is { Partial: true } partial)
            {
                // Text of this turn reached the client: charge what llm-proxy accounted for it, on top of earlier turns.
                await budget.SettleAsync(reservation, partial.CostMicros);
                request.CostMicros += partial.CostMicros;
            }

            throw failure.ToRoutingException();
        }
        finally
        {
            await ReleaseAsync(reservation);
        }
    }

    /// <summary>What the streamed loop has written to the client so far.</summary>
    private sealed class StreamedTurns(IChatStreamWriter writer, string id)
    {
        private readonly StringBuilder _text = new();
        private bool _begun;

        public bool SentText => _text.Length > 0;

        public string Text => _text.ToString();

        public async ValueTask BeginAsync(RoutedRequest request, CancellationToken cancellationToken)
        {
            if (!_begun)
            {
                _begun = true;
                await writer.BeginAsync(id, request.ToDecision(), cancellationToken);
            }
        }

        public async ValueTask TextAsync(RoutedRequest request, string model, string content, CancellationToken cancellationToken)
        {
            if (!_begun && model.Length > 0)
            {
                request.Model = model;
            }

            await BeginAsync(request, cancellationToken);
            _text.Append(content);
            await writer.DeltaAsync(content, [], cancellationToken);
        }
    }
}
