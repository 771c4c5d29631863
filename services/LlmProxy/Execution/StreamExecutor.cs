using Grpc.Core;
using HybridAI.Contracts.Llm.V1;
using HybridAI.LlmProxy.Catalogue;
using HybridAI.LlmProxy.Providers;
using HybridAI.LlmProxy.Requests;
using HybridAI.LlmProxy.Resilience;
using HybridAI.LlmProxy.Telemetry;
using Microsoft.Extensions.AI;
using Polly.CircuitBreaker;

namespace HybridAI.LlmProxy.Execution;

/// <summary>
/// Streaming completions. Until the first token is written downstream, a failing target moves to the next one
/// invisibly (with retries, as for unary calls). After it, nothing can be taken back: the stream ends with the
/// failure's status and a <see cref="CompletionFailure"/> detail that accounts the tokens already sent. Each upstream
/// update is read only after the previous chunk was written, so a slow caller slows the upstream (back-pressure), and
/// a caller that goes away cancels the upstream request.
/// </summary>
internal sealed partial class StreamExecutor
{
    private readonly CompletionPlanner _planner;
    private readonly TargetPipelines _pipelines;
    private readonly UpstreamInvoker _invoker;
    private readonly LlmProxyTelemetry _telemetry;
    private readonly ILogger<StreamExecutor> _logger;

    public StreamExecutor(CompletionPlanner planner, TargetPipelines pipelines, UpstreamInvoker invoker, LlmProxyTelemetry telemetry, ILogger<StreamExecutor> logger)
    {
        _planner = planner;
        _pipelines = pipelines;
        _invoker = invoker;
        _telemetry = telemetry;
        _logger = logger;
    }

    public async Task StreamAsync(CompletionRequest request, IAsyncStreamWriter<CompletionChunk> writer, CancellationToken cancellationToken)
    {
        var plan = _planner.Plan(request);
        var activity = _telemetry.StartRequest("Stream", request);
        var attempts = new List<TargetAttempt>(plan.Skipped);
        var failures = new List<ChainFailure>();
        var result = new RequestResult();
        try
        {
            for (var i = 0; i < plan.Targets.Count; i++)
            {
                var entry = plan.Targets[i];
                var record = new AttemptRecord(entry);
                var pipeline = _pipelines.For(entry);
                StartedStream started;
                try
                {
                    started = await pipeline.ExecuteAsync(
                        static (s, token) => StartAsync(s, token),
                        new StreamAttempt(_invoker, entry, plan, plan.Options, record), record, cancellationToken);
                }
                catch (UpstreamException e)
                {
                    attempts.Add(record.Failed(e));
                    failures.Add(new ChainFailure(entry, e, null));
                    FallBack(activity, plan, i, attempts[^1]);
                    continue;
                }
                catch (BrokenCircuitException e)
                {
                    attempts.Add(record.CircuitOpen(e.RetryAfter));
                    failures.Add(new ChainFailure(entry, record.LastFailure, e.RetryAfter));
                    FallBack(activity, plan, i, attempts[^1]);
                    continue;
                }

                // Committed: from here on this target serves the stream or the stream fails.
                await using (started)
                {
                    await RelayAsync(started, plan, pipeline, record, attempts, writer, result, cancellationToken);
                    return;
                }
            }

            LogAllFailed(_logger, request.Context?.RequestId ?? "", string.Join("; ", attempts.Select(a => $"{a.Target}: {a.Outcome}")));
            result.Failed();
            throw FailureStatus.AllFailed(attempts, failures);
        }
        finally
        {
            _telemetry.RequestFinished(activity, "Stream", result.Outcome, result.Model, result.Usage, result.CostMicros, failures.Count);
        }
    }

    private async Task RelayAsync(
        StartedStream started, CompletionPlan plan, TargetPipeline pipeline, AttemptRecord record, List<TargetAttempt> attempts,
        IAsyncStreamWriter<CompletionChunk> writer, RequestResult result, CancellationToken cancellationToken)
    {
        var entry = started.Entry;
        var relay = new StreamRelay();
        started.Resume();
        try
        {
            foreach (var update in started.Buffered)
            {
                await WriteAsync(relay, update, entry.Id, writer, cancellationToken);
            }

            if (!started.Ended)
            {
                while (await started.Updates.MoveNextAsync())
                {
                    await WriteAsync(relay, started.Updates.Current, entry.Id, writer, cancellationToken);
                }
            }

            if (relay.FinishReason.Length == 0)
            {
                // Some SDKs end a stream quietly when the connection drops; a model that finished says why it did.
                throw new UpstreamException(UpstreamFailureKind.Network, "the upstream stream ended before the model finished (no finish reason)");
            }
        }
        catch (Exception e) when (e is not RpcException)
        {
            var error = _invoker.StreamFailed(started, e, cancellationToken);
            var partial = UsageCalculator.Outcome(entry, plan, null, relay.Text, relay.ToolCallText, relay.ResponseModel, relay.ResponseId, "error");
            var partialCost = UsageCalculator.Cost(entry, partial);
            _telemetry.PartialUsage(entry, partial);
            if (error is not UpstreamException failure)
            {
                // The caller went away: nothing to tell it, but what was sent was still used.
                LogCancelled(_logger, entry.Id, partial.CompletionTokens);
                result.Ended("cancelled", entry.Id, partial, partialCost);
                throw error;
            }

            await pipeline.RecordFailureAsync(failure);
            attempts.Add(record.Failed(failure));
            var detail = new CompletionFailure
            {
                Partial = true,
                Model = entry.Id,
                Usage = UsageCalculator.ToProto(partial),
                CostMicros = partialCost,
            };
            detail.Attempts.AddRange(attempts);
            LogPartial(_logger, entry.Id, partial.CompletionTokens, failure.Message);
            result.Ended("partial", entry.Id, partial, partialCost);
            throw FailureStatus.PartialStream(failure, entry, partial.CompletionTokens, detail);
        }

        var outcome = UsageCalculator.Outcome(entry, plan, relay.Usage, relay.Text, relay.ToolCallText,
            relay.ResponseModel, relay.ResponseId, relay.FinishReason);
        _invoker.StreamSucceeded(started, outcome);
        attempts.Add(record.Succeeded());
        var cost = UsageCalculator.Cost(entry, outcome);
        var done = new CompletionDone
        {
            Model = entry.Id,
            UpstreamModel = outcome.ResponseModel.Length > 0 ? outcome.ResponseModel : entry.UpstreamModel,
            FinishReason = outcome.FinishReason,
            Usage = UsageCalculator.ToProto(outcome),
            CostMicros = cost,
        };
        done.Attempts.AddRange(attempts);
        await writer.WriteAsync(new CompletionChunk { Done = done }, cancellationToken);
        result.Ended("ok", entry.Id, outcome, cost);
    }

    private static async Task WriteAsync(
        StreamRelay relay, ChatResponseUpdate update, string target, IAsyncStreamWriter<CompletionChunk> writer, CancellationToken cancellationToken)
    {
        var first = relay.DeltasSent == 0;
        if (relay.Accept(update) is { } delta)
        {
            if (first)
            {
                delta.Model = target;
            }

            await writer.WriteAsync(new CompletionChunk { Delta = delta }, cancellationToken);
        }
    }

    private void FallBack(System.Diagnostics.Activity? activity, CompletionPlan plan, int index, TargetAttempt attempt)
    {
        if (index + 1 < plan.Targets.Count)
        {
            var next = plan.Targets[index + 1].Id;
            _telemetry.Fallback(activity, attempt.Target, next, attempt.Outcome);
            LogFallback(_logger, attempt.Target, next, attempt.Outcome, attempt.Error);
        }
    }

    private static async ValueTask<StartedStream> StartAsync(StreamAttempt s, CancellationToken token)
    {
        try
        {
            return await s.Invoker.StartStreamAsync(s.Entry, s.Plan, s.Options, token);
        }
        catch (UpstreamException e)
        {
            s.Record.LastFailure = e;
            throw;
        }
    }

    private readonly record struct StreamAttempt(UpstreamInvoker Invoker, CatalogueEntry Entry, CompletionPlan Plan, ChatOptions Options, AttemptRecord Record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} failed before its first token ({Outcome}: {Error}); falling back to {Next}")]
    private static partial void LogFallback(ILogger logger, string target, string next, string outcome, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No allowed target could serve stream {RequestId}: {Attempts}")]
    private static partial void LogAllFailed(ILogger logger, string requestId, string attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream from {Target} failed after {Tokens} completion tokens were sent: {Error}")]
    private static partial void LogPartial(ILogger logger, string target, int tokens, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Caller left the stream from {Target} after {Tokens} completion tokens; upstream request cancelled")]
    private static partial void LogCancelled(ILogger logger, string target, int tokens);
}
