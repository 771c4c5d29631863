using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Client.Receipts;

/// <summary>Where receipts go (governance's RecordReceipts); an interface so tests can interpose an outage.</summary>
public interface IReceiptSink
{
    Task<RecordReceiptsResponse> SendAsync(IReadOnlyList<RoutingReceipt> receipts, CancellationToken cancellationToken);
}

/// <summary>Sends receipts to governance over gRPC with the configured deadline.</summary>
public sealed class GrpcReceiptSink(GovernanceService.GovernanceServiceClient client, IOptions<GovernanceClientOptions> options) : IReceiptSink
{
    public async Task<RecordReceiptsResponse> SendAsync(IReadOnlyList<RoutingReceipt> receipts, CancellationToken cancellationToken)
    {
        var request = new RecordReceiptsRequest();
        request.Receipts.AddRange(receipts);
        return await client.RecordReceiptsAsync(request, deadline: DateTime.UtcNow.Add(options.Value.CallTimeout), cancellationToken: cancellationToken);
    }
}

/// <summary>
/// Drains the outbox in batches: wakes when receipts are enqueued, sends, and on failure waits with exponential
/// backoff and jitter before trying again, for as long as it takes.
/// </summary>
public sealed class ReceiptSender(ReceiptOutbox outbox, IReceiptSink sink, IOptions<GovernanceClientOptions> options, ILogger<ReceiptSender> logger)
    : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        outbox.Enqueued += Wake;
        try
        {
            var delay = options.Value.InitialRetryDelay;
            while (!stoppingToken.IsCancellationRequested)
            {
                bool drained;
                try
                {
                    drained = await SendBatchAsync(stoppingToken);
                    delay = options.Value.InitialRetryDelay;
                }
                catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Governance did not take {Count} buffered receipts ({Status}: {Detail}); retrying in {Delay}.",
                        outbox.Count, e.StatusCode, e.Status.Detail, delay);
                    await Task.Delay(Jitter(delay), stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.MaxRetryDelay.Ticks));
                    continue;
                }

                if (drained)
                {
                    // Nothing left: sleep until something is enqueued (or a minute, to pick up anything missed).
                    await _wake.WaitAsync(TimeSpan.FromMinutes(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: whatever was not sent stays in the outbox for the next start.
        }
        finally
        {
            outbox.Enqueued -= Wake;
        }
    }

    /// <summary>Sends one batch; true when the outbox is empty afterwards.</summary>
    public async Task<bool> SendBatchAsync(CancellationToken cancellationToken)
    {
        var batch = await outbox.PeekAsync(options.Value.BatchSize, cancellationToken);
        if (batch.Count == 0)
        {
            return true;
        }

        var response = await sink.SendAsync(batch.Select(b => b.Receipt).ToList(), cancellationToken);
        var rejected = response.Rejected
            .Where(r => r.Index >= 0 && r.Index < batch.Count)
            .Select(r => (batch[r.Index].Id, r.Reason))
            .ToList();
        foreach (var r in response.Rejected)
        {
            logger.LogError("Governance rejected receipt {RequestId} for good: {Reason}. It is kept in the outbox's dead-letter table.", r.RequestId, r.Reason);
        }

        var rejectedIds = rejected.Select(r => r.Id).ToHashSet();
        await outbox.CompleteAsync(batch.Select(b => b.Id).Where(id => !rejectedIds.Contains(id)).ToList(), rejected, cancellationToken);
        return batch.Count < options.Value.BatchSize && outbox.Count == 0;
    }

    private void Wake() => _wake.Release();

    private static TimeSpan Jitter(TimeSpan delay) => delay * (0.75 + (Random.Shared.NextDouble() * 0.5));

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
