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
/// Unary completions: validate and plan, then try each allowed target in order under its pipeline (retries, breaker)
/// until one answers. A failed target moves to the next; the caller sees only the answer and its attempts.
/// </summary>
internal sealed partial class CompletionExecutor
{
    private readonly CompletionPlanner _planner;
    private readonly TargetPipelines _pipelines;
    private readonly UpstreamInvoker _invoker;
    private readonly LlmProxyTelemetry _telemetry;
    private readonly ILogger<CompletionExecutor> _logger;

    public CompletionExecutor(CompletionPlanner planner, TargetPipelines pipelines, UpstreamInvoker invoker, LlmProxyTelemetry telemetry, ILogger<CompletionExecutor> logger)
    {
        _planner = planner;
        _pipelines = pipelines;
        _invoker = invoker;
        _telemetry = telemetry;
        _logger = logger;
    }

    public async Task<CompletionResponse> CompleteAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        var plan = _planner.Plan(request);
        var activity = _telemetry.StartRequest("Complete", request);
        var attempts = new List<TargetAttempt>(plan.Skipped);
        var failures = new List<ChainFailure>();
        var result = new RequestResult();
        try
        {
            for (var i = 0; i < plan.Targets.Count; i++)
            {
                var entry = plan.Targets[i];
                var record = new AttemptRecord(entry);
                try
                {
                    var (response, outcome) = await _pipelines.For(entry).ExecuteAsync(
                        static (s, token) => AttemptAsync(s, token),
                        new UnaryAttempt(_invoker, entry, plan, plan.Options, record), record, cancellationToken);
                    attempts.Add(record.Succeeded());
                    var cost = UsageCalculator.Cost(entry, outcome);
                    result.Ended("ok", entry.Id, outcome, cost);
                    return Response(entry, response, outcome, cost, attempts);
                }
                catch (UpstreamException e)
                {
                    attempts.Add(record.Failed(e));
                    failures.Add(new ChainFailure(entry, e, null));
                }
                catch (BrokenCircuitException e)
                {
                    attempts.Add(record.CircuitOpen(e.RetryAfter));
                    failures.Add(new ChainFailure(entry, record.LastFailure, e.RetryAfter));
                }

                if (i + 1 < plan.Targets.Count)
                {
                    var next = plan.Targets[i + 1].Id;
                    _telemetry.Fallback(activity, entry.Id, next, attempts[^1].Outcome);
                    LogFallback(_logger, entry.Id, next, attempts[^1].Outcome, attempts[^1].Error);
                }
            }

            LogAllFailed(_logger, request.Context?.RequestId ?? "", string.Join("; ", attempts.Select(a => $"{a.Target}: {a.Outcome}")));
            result.Failed();
            throw FailureStatus.AllFailed(attempts, failures);
        }
        finally
        {
            _telemetry.RequestFinished(activity, "Complete", result.Outcome, result.Model, result.Usage, result.CostMicros, failures.Count);
        }
    }

    private static async ValueTask<(ChatResponse, ChatOutcome)> AttemptAsync(UnaryAttempt s, CancellationToken token)
    {
        try
        {
            return await s.Invoker.CompleteAsync(s.Entry, s.Plan, s.Options, token);
        }
        catch (UpstreamException e)
        {
            s.Record.LastFailure = e;
            throw;
        }
    }

    private static CompletionResponse Response(CatalogueEntry entry, ChatResponse response, ChatOutcome outcome, long cost, List<TargetAttempt> attempts)
    {
        var result = new CompletionResponse
        {
            Model = entry.Id,
            UpstreamModel = outcome.ResponseModel.Length > 0 ? outcome.ResponseModel : entry.UpstreamModel,
            Message = ResponseMapper.Message(response),
            FinishReason = outcome.FinishReason,
            Usage = UsageCalculator.ToProto(outcome),
            CostMicros = cost,
        };
        result.Attempts.AddRange(attempts);
        return result;
    }

    private readonly record struct UnaryAttempt(UpstreamInvoker Invoker, CatalogueEntry Entry, CompletionPlan Plan, ChatOptions Options, AttemptRecord Record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target} failed ({Outcome}: {Error}); falling back to {Next}")]
    private static partial void LogFallback(ILogger logger, string target, string next, string outcome, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No allowed target could serve request {RequestId}: {Attempts}")]
    private static partial void LogAllFailed(ILogger logger, string requestId, string attempts);
}
