using HybridAI.Router.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Runs shadow evaluations in the background, <c>Router:Shadow:Concurrency</c> at a time, on the sampler's queue: settles
/// each sample's budget reservation to what it cost, hands results to the sender, and counts what was lost and why.
/// On shutdown the queue is closed and evaluations in flight are cancelled (a shadow result may be lost; a user never waits).
/// </summary>
public sealed partial class ShadowWorker(
    ShadowSampler sampler, ShadowEvaluator evaluator, ShadowBudget budget, ShadowResultSender sender, RouterTelemetry telemetry,
    IOptions<RouterOptions> options, ILogger<ShadowWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Shadow.Enabled)
        {
            return Task.CompletedTask;
        }

        return Task.WhenAll(Enumerable.Range(0, options.Value.Shadow.Concurrency).Select(_ => Task.Run(() => RunAsync(stoppingToken), CancellationToken.None)));
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        sampler.Complete();
        return base.StopAsync(cancellationToken);
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var sample in sampler.Queue.ReadAllAsync(stoppingToken))
            {
                await EvaluateAsync(sample, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is not evaluated.
        }
    }

    private async Task EvaluateAsync(ShadowSample sample, CancellationToken stoppingToken)
    {
        var cost = sample.ReservedMicros;
        try
        {
            var evaluation = await evaluator.EvaluateAsync(sample, stoppingToken);
            cost = evaluation.CostMicros;
            if (evaluation.Result is { } result)
            {
                telemetry.ShadowJudged(sample.TenantId, result.Judge, result.Parity, cost);
                sender.Enqueue(result);
            }
            else
            {
                telemetry.ShadowDropped(sample.TenantId, evaluation.Failure == "unparseable_verdict" ? "unparseable_verdict" : "failed");
                LogEvaluationFailed(logger, sample.RequestId, evaluation.Failure ?? "");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // One sample's unexpected failure must not stop the worker; the reservation is charged in full.
            telemetry.ShadowDropped(sample.TenantId, "failed");
            LogEvaluationFailed(logger, sample.RequestId, e.Message);
        }
        finally
        {
            budget.Settle(sample.TenantId, sample.Day, sample.ReservedMicros, cost);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow evaluation of request {RequestId} produced no result: {Reason}")]
    private static partial void LogEvaluationFailed(ILogger logger, string requestId, string reason);
}
