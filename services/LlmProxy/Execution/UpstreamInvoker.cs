using System.Diagnostics;
using System.Text.Json;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Providers;
using HybridAI.LlmProxy.Requests;
using HybridAI.LlmProxy.Telemetry;
using Microsoft.Extensions.AI;

namespace HybridAI.LlmProxy.Execution;

/// <summary>
/// One upstream call through a provider's <see cref="IChatClient"/>, with the per-attempt timeouts (time to first
/// token, total), the GenAI client span, and every failure classified as an <see cref="UpstreamException"/>. A caller
/// that goes away cancels the upstream request; that cancellation is passed on unclassified.
/// </summary>
internal sealed partial class UpstreamInvoker(UpstreamClients clients, LlmProxyTelemetry telemetry, SecretRedactor redactor, ILogger<UpstreamInvoker> logger)
{
    /// <summary>A unary call, bounded by the target's total timeout.</summary>
    public async ValueTask<(ChatResponse Response, ChatOutcome Outcome)> CompleteAsync(
        CatalogueEntry entry, CompletionPlan plan, ChatOptions options, CancellationToken cancellationToken)
    {
        var call = new UpstreamCall();
        UpstreamCall.Current = call;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(entry.TotalTimeout);
        var start = Stopwatch.GetTimestamp();
        var activity = telemetry.StartChat(entry, options, streaming: false);
        try
        {
            var response = await clients.For(entry).GetResponseAsync(plan.Messages, options, timeout.Token);
            var calls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>();
            var outcome = UsageCalculator.Outcome(entry, plan, response.Usage, response.Text, ToolCallText(calls),
                response.ModelId ?? "", response.ResponseId, MessageMapper.FinishReason(response.FinishReason));
            telemetry.ChatSucceeded(activity, entry, start, outcome);
            return (response, outcome);
        }
        catch (Exception e)
        {
            throw Fail(e, call, entry, activity, start, timeout, $"no complete response within {entry.TotalTimeout.TotalSeconds:0.###} s", cancellationToken);
        }
    }

    /// <summary>
    /// Opens a stream and reads until its first token (text, a tool call, or the end), bounded by the time-to-first-
    /// token timeout. The returned stream continues under the remaining total timeout.
    /// </summary>
    public async ValueTask<StartedStream> StartStreamAsync(
        CatalogueEntry entry, CompletionPlan plan, ChatOptions options, CancellationToken cancellationToken)
    {
        var call = new UpstreamCall();
        UpstreamCall.Current = call;
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(entry.FirstTokenTimeout);
        var start = Stopwatch.GetTimestamp();
        var activity = telemetry.StartChat(entry, options, streaming: true);
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            updates = clients.For(entry).GetStreamingResponseAsync(plan.Messages, options, timeout.Token).GetAsyncEnumerator(timeout.Token);
            var buffered = new List<ChatResponseUpdate>(2);
            var ended = true;
            while (await updates.MoveNextAsync())
            {
                buffered.Add(updates.Current);
                if (IsFirstToken(updates.Current))
                {
                    ended = false;
                    break;
                }
            }

            if (ended && !buffered.Any(u => u.FinishReason is not null))
            {
                throw new UpstreamException(UpstreamFailureKind.Network, "the upstream stream ended before the model finished (no finish reason)");
            }

            var elapsed = Stopwatch.GetElapsedTime(start);
            telemetry.FirstChunk(entry, elapsed);
            var remaining = entry.TotalTimeout - elapsed;
            timeout.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
            return new StartedStream(entry, updates, timeout, call, activity, start, buffered, ended);
        }
        catch (Exception e)
        {
            if (updates is not null)
            {
                await DisposeQuietlyAsync(updates);
            }

            var failure = Fail(e, call, entry, activity, start, timeout,
                $"no first token within {entry.FirstTokenTimeout.TotalSeconds:0.###} s", cancellationToken);
            timeout.Dispose();
            throw failure;
        }
    }

    /// <summary>Classifies a failure of a started stream (after its first token) and ends its span.</summary>
    public Exception StreamFailed(StartedStream stream, Exception e, CancellationToken cancellationToken) =>
        Fail(e, stream.Call, stream.Entry, stream.Activity, stream.Start, stream.Timeout,
            $"the stream did not finish within {stream.Entry.TotalTimeout.TotalSeconds:0.###} s", cancellationToken);

    public void StreamSucceeded(StartedStream stream, ChatOutcome outcome) =>
        telemetry.ChatSucceeded(stream.Activity, stream.Entry, stream.Start, outcome);

    internal static string ToolCallText(IEnumerable<FunctionCallContent> calls) =>
        string.Concat(calls.Select(c => c.Name + MessageMapper.SerializeArguments(c.Arguments)));

    internal static async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate> updates)
    {
        try
        {
            await updates.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // Disposing aborts the upstream response; a transport error while doing so changes nothing.
        }
    }

    private static bool IsFirstToken(ChatResponseUpdate update)
    {
        if (update.FinishReason is not null)
        {
            return true;
        }

        foreach (var content in update.Contents)
        {
            if (content is FunctionCallContent || (content is TextContent t && t.Text.Length > 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The caller's own cancellation passes through unchanged; everything else becomes an <see cref="UpstreamException"/>: what
    /// the HTTP layer recorded first, then timeouts, transport errors, and responses the SDK could not read.
    /// </summary>
    private Exception Fail(Exception e, UpstreamCall call, CatalogueEntry entry, Activity? activity, long start,
        CancellationTokenSource timeout, string timeoutMessage, CancellationToken callerToken)
    {
        // Once the caller is gone, whatever broke (the upstream read, or the write to the caller) is a consequence: it
        // must not count against the target's breaker, nor be reported as the upstream's failure.
        if (callerToken.IsCancellationRequested)
        {
            telemetry.ChatFailed(activity, entry, start, "cancelled", "the caller cancelled the request");
            return e;
        }

        var failure = call.Failure ?? Find<UpstreamException>(e) ?? (e, timeout.IsCancellationRequested) switch
        {
            (OperationCanceledException, true) => new UpstreamException(UpstreamFailureKind.Timeout, timeoutMessage, call.HttpStatus is 200 ? null : call.HttpStatus, inner: e),
            _ when Find<HttpRequestException>(e) is { } http => new UpstreamException(UpstreamFailureKind.Network,
                $"connection to the upstream failed: {redactor.Redact(http.Message)}", inner: e),
            _ when Find<IOException>(e) is { } io => new UpstreamException(UpstreamFailureKind.Network,
                $"the upstream connection broke: {redactor.Redact(io.Message)}", inner: e),
            _ when Find<JsonException>(e) is { } json => new UpstreamException(UpstreamFailureKind.BadResponse,
                $"malformed response from the upstream: {redactor.Redact(json.Message)}", call.HttpStatus, inner: e),
            _ => Unexpected(e, entry, call),
        };
        telemetry.ChatFailed(activity, entry, start, failure.ErrorType, failure.Message);
        return failure;
    }

    private UpstreamException Unexpected(Exception e, CatalogueEntry entry, UpstreamCall call)
    {
        // The SDK could not use what the upstream sent (or failed in a way we do not know): another target may serve.
        LogUnexpected(logger, entry.Id, e.GetType().FullName ?? e.GetType().Name, redactor.Redact(e.Message));
        return new UpstreamException(UpstreamFailureKind.BadResponse,
            $"unusable response from the upstream ({e.GetType().Name}: {redactor.Redact(e.Message)})", call.HttpStatus, inner: e);
    }

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} failed with an unexpected {ExceptionType}: {Error}")]
    private static partial void LogUnexpected(ILogger logger, string target, string exceptionType, string error);
}

/// <summary>A stream that has produced its first token; the rest is read by the stream executor.</summary>
internal sealed class StartedStream(
    CatalogueEntry entry, IAsyncEnumerator<ChatResponseUpdate> updates, CancellationTokenSource timeout, UpstreamCall call,
    Activity? activity, long start, IReadOnlyList<ChatResponseUpdate> buffered, bool ended) : IAsyncDisposable
{
    public CatalogueEntry Entry { get; } = entry;

    public IAsyncEnumerator<ChatResponseUpdate> Updates { get; } = updates;

    public CancellationTokenSource Timeout { get; } = timeout;

    public UpstreamCall Call { get; } = call;

    public Activity? Activity { get; } = activity;

    public long Start { get; } = start;

    /// <summary>Updates read while waiting for the first token, in order.</summary>
    public IReadOnlyList<ChatResponseUpdate> Buffered { get; } = buffered;

    /// <summary>The upstream ended before any token (an empty completion).</summary>
    public bool Ended { get; } = ended;

    /// <summary>Makes the call's HTTP observations current again on the reading flow.</summary>
    public void Resume() => UpstreamCall.Current = Call;

    public async ValueTask DisposeAsync()
    {
        await UpstreamInvoker.DisposeQuietlyAsync(Updates);
        Timeout.Dispose();
    }
}
