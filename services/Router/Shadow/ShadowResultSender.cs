using System.Threading.Channels;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Router.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Delivers shadow results to governance (<c>RecordShadowResults</c>) in batches, retrying a failed batch with doubling
/// delays up to <c>Router:Shadow:ResultAttempts</c> times. Results are evidence, not records of money spent: a batch that
/// cannot be delivered, a result governance rejects, or one that finds the buffer full is dropped and counted
/// (<c>hybridai.router.shadow.dropped</c>, reason <c>result_lost</c>) rather than held without bound.
/// </summary>
public sealed partial class ShadowResultSender(
    GovernanceService.GovernanceServiceClient governance, RouterTelemetry telemetry, IOptions<RouterOptions> options,
    ILogger<ShadowResultSender> logger) : BackgroundService
{
    private readonly Channel<ShadowResult> _results = Channel.CreateBounded<ShadowResult>(
        new BoundedChannelOptions(Math.Max(1000, options.Value.Shadow.QueueCapacity * 4)) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Results waiting to be sent.</summary>
    public int Pending => _results.Reader.Count;

    public void Enqueue(ShadowResult result)
    {
        if (!_results.Writer.TryWrite(result))
        {
            telemetry.ShadowDropped(result.TenantId, "result_lost");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var max = options.Value.Shadow.ResultBatch;
        var batch = new List<ShadowResult>(max);
        try
        {
            while (await _results.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < max && _results.Reader.TryRead(out var result))
                {
                    batch.Add(result);
                }

                await SendAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Lost(batch);
            batch.Clear();
            while (_results.Reader.TryRead(out var result))
            {
                Lost([result]);
            }
        }
    }

    private async Task SendAsync(List<ShadowResult> batch, CancellationToken stoppingToken)
    {
        var o = options.Value;
        var delay = o.Shadow.ResultRetryDelay;
        var request = new RecordShadowResultsRequest { Results = { batch } };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await governance.RecordShadowResultsAsync(request, deadline: DateTime.UtcNow.Add(o.GovernanceTimeout),
                    cancellationToken: stoppingToken);
                foreach (var rejected in response.Rejected)
                {
                    LogRejected(logger, rejected.RequestId, rejected.Reason);
                    Lost([batch[rejected.Index]]);
                }

                return;
            }
            catch (RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= o.Shadow.ResultAttempts || e.StatusCode is StatusCode.InvalidArgument or StatusCode.PermissionDenied or StatusCode.Unauthenticated)
                {
                    LogLost(logger, batch.Count, attempt, e.Status.Detail);
                    Lost(batch);
                    return;
                }

                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (RpcException) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down mid-call: the batch is lost (counted), the router stops without waiting on governance.
                Lost(batch);
                return;
            }
        }
    }

    private void Lost(IEnumerable<ShadowResult> results)
    {
        foreach (var group in results.GroupBy(r => r.TenantId, StringComparer.Ordinal))
        {
            telemetry.ShadowDropped(group.Key, "result_lost", group.Count());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Governance rejected the shadow result of request {RequestId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} shadow results were dropped after {Attempts} delivery attempts: {Error}")]
    private static partial void LogLost(ILogger logger, int count, int attempts, string error);
}
