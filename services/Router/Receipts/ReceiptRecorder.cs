using System.Threading.Channels;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Client.Receipts;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Receipts;

/// <summary>
/// Writes every request's routing receipt into the governance client's durable outbox, off the request's path. Requests
/// hand receipts to a bounded queue; one writer commits whatever has gathered in one transaction (group commit), so
/// the outbox's fsync is paid per batch, not per request. A full queue makes requests wait (backpressure); nothing is
/// dropped. On shutdown the queue is written out, then the outbox is sent to governance for up to
/// <c>Router:Receipts:DrainTimeout</c>, because in Kubernetes the outbox lives on an emptyDir that dies with the pod.
/// The one window left is a crash (not a shutdown) between a response and its batch's commit, a few milliseconds.
/// </summary>
public sealed partial class ReceiptRecorder : IHostedService, IDisposable
{
    private readonly Channel<RoutingReceipt> _queue;
    private readonly ReceiptOutbox _outbox;
    private readonly ReceiptSender _sender;
    private readonly IOptions<RouterOptions> _options;
    private readonly ILogger<ReceiptRecorder> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private Task? _writer;
    private int _writing;

    public ReceiptRecorder(ReceiptOutbox outbox, ReceiptSender sender, IOptions<RouterOptions> options, ILogger<ReceiptRecorder> logger)
    {
        _outbox = outbox;
        _sender = sender;
        _options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<RoutingReceipt>(new BoundedChannelOptions(options.Value.Receipts.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Receipts handed over but not yet in the outbox.</summary>
    public int Pending => _queue.Reader.Count;

    /// <summary>Hands a receipt over; waits only while the queue is full.</summary>
    public ValueTask RecordAsync(RoutingReceipt receipt)
    {
        // Not the request's token: a caller that left still gets its receipt.
        return _queue.Writer.TryWrite(receipt) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(receipt, _stopping.Token);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer.WaitAsync(cancellationToken);
        }

        await DrainOutboxAsync(cancellationToken);
    }

    /// <summary>Waits (bounded) until every receipt handed over so far is in the outbox.</summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_queue.Reader.Count > 0 || Volatile.Read(ref _writing) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{_queue.Reader.Count} receipts were still queued after {timeout}.");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    private async Task WriteLoopAsync()
    {
        var max = _options.Value.Receipts.MaxBatch;
        var batch = new List<RoutingReceipt>(max);
        while (await _queue.Reader.WaitToReadAsync())
        {
            Interlocked.Increment(ref _writing);
            try
            {
                while (batch.Count < max && _queue.Reader.TryRead(out var receipt))
                {
                    batch.Add(receipt);
                }

                await CommitAsync(batch);
                batch.Clear();
            }
            finally
            {
                Interlocked.Decrement(ref _writing);
            }
        }
    }

    private async Task CommitAsync(List<RoutingReceipt> batch)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await _outbox.EnqueueAsync(batch, CancellationToken.None);
                return;
            }
            catch (Exception e) when (e is ReceiptOutboxFullException or Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // Never drop: keep the batch and retry; meanwhile the queue fills and requests wait.
                LogWriteFailed(_logger, batch.Count, e.Message, delay);
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task DrainOutboxAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.Value.Receipts.DrainTimeout;
        if (timeout <= TimeSpan.Zero || _outbox.Count == 0)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (_outbox.Count > 0)
            {
                await _sender.SendBatchAsync(limit.Token);
            }

            LogDrained(_logger);
        }
        catch (Exception e) when (e is OperationCanceledException or global::Grpc.Core.RpcException)
        {
            LogDrainIncomplete(_logger, _outbox.Count, e.Message);
        }
    }

    public void Dispose()
    {
        // The container disposes this twice: as the singleton and as the hosted service resolved from it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stopping.Cancel();
            _stopping.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} receipts to the outbox failed ({Error}); retrying in {Delay}, requests wait meanwhile")]
    private static partial void LogWriteFailed(ILogger logger, int count, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown: every buffered receipt reached governance")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: {Count} receipts are still in the outbox ({Error}); they are sent at the next start if the outbox survives")]
    private static partial void LogDrainIncomplete(ILogger logger, long count, string error);
}
