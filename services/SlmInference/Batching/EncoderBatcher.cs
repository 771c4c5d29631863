using System.Buffers;
using System.Diagnostics;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.SlmInference.Core.Encoders;
using HybridAI.SlmInference.Core.Tokenization;
using HybridAI.SlmInference.Telemetry;

namespace HybridAI.SlmInference.Batching;

/// <summary>
/// Coalesces concurrent Embed/Classify calls for one encoder into batches. Texts wait in length buckets (powers of two
/// of their token count) so a batch pads little; a worker takes the bucket holding the oldest text, waits up to
/// MaxBatchWait for it to fill to MaxBatchSize (with AdaptiveBatchWait, only while calls arrive less than MaxBatchWait
/// apart on average), and runs it. The queue is bounded in texts: a call that does not fit
/// fails at once with RESOURCE_EXHAUSTED. A cancelled caller's queued texts are released immediately and never run.
/// </summary>
public sealed class EncoderBatcher : IDisposable
{
    private const int BucketCount = 14;

    private readonly object _gate = new();
    private readonly Queue<BatchSlot>[] _buckets = Enumerable.Range(0, BucketCount).Select(_ => new Queue<BatchSlot>()).ToArray();
    private readonly int[] _live = new int[BucketCount];
    private readonly InferenceTelemetry _telemetry;
    private readonly int _maxBatch;
    private readonly long _maxWaitTicks;
    private readonly int _capacity;
    private readonly Thread[] _workers;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly bool _adaptive;
    private int _queued;
    private int _running;
    private bool _stopping;
    private long _lastArrival;
    private double _arrivalGap = double.MaxValue;

    internal EncoderBatcher(EncoderModel encoder, InferenceOptions options, InferenceTelemetry telemetry)
    {
        Encoder = encoder;
        _telemetry = telemetry;
        _maxBatch = options.MaxBatchSize;
        _maxWaitTicks = (long)(options.MaxBatchWait.TotalSeconds * Stopwatch.Frequency);
        _capacity = options.QueueCapacity;
        _adaptive = options.AdaptiveBatchWait;
        _tags = [new("gen_ai.request.model", encoder.Name), new("hybridai.execution_provider", encoder.ExecutionProvider)];
        _running = options.BatchWorkers;
        _workers = Enumerable.Range(0, options.BatchWorkers)
            .Select(i => new Thread(Work) { IsBackground = true, Name = $"batcher {encoder.Name} #{i}" })
            .ToArray();
        foreach (var worker in _workers)
        {
            worker.Start();
        }
    }

    public EncoderModel Encoder { get; }

    /// <summary>Texts waiting for a batch.</summary>
    public int QueuedTexts
    {
        get
        {
            lock (_gate)
            {
                return _queued;
            }
        }
    }

    /// <summary>
    /// Embeds <paramref name="texts"/> into <paramref name="output"/> together with other callers' texts: per text, its
    /// embedding (mean pooling) then its max-pooled states, <c>2 × Dimensions</c> floats (heads may read both).
    /// Throws RESOURCE_EXHAUSTED when the queue cannot take them, and is cancelled with <paramref name="cancellationToken"/>.
    /// </summary>
    public Task EmbedAsync(EncodedText[] texts, float[] output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var request = new BatchRequest(texts, output, Activity.Current?.Context ?? default, cancellationToken);
        request.Slots = texts.Select((t, i) => new BatchSlot(request, i, Bucket(t.Length))).ToArray();
        lock (_gate)
        {
            if (_stopping)
            {
                throw RpcErrors.Unavailable("slm-inference is shutting down.", TimeSpan.FromSeconds(1));
            }

            if (_queued + texts.Length > _capacity)
            {
                _telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "queue_full"), _tags[0]);
                throw RpcErrors.ResourceExhausted(
                    $"The batch queue of encoder '{Encoder.Name}' is full ({_queued} of {_capacity} texts waiting; this call has {texts.Length}). Retry shortly.",
                    TimeSpan.FromMilliseconds(Math.Max(50, _queued / 4)));
            }

            foreach (var slot in request.Slots)
            {
                _buckets[slot.Bucket].Enqueue(slot);
                _live[slot.Bucket]++;
            }

            _queued += texts.Length;
            var now = Stopwatch.GetTimestamp();
            _arrivalGap = _lastArrival == 0 ? double.MaxValue : _arrivalGap == double.MaxValue ? now - _lastArrival : (0.8 * _arrivalGap) + (0.2 * (now - _lastArrival));
            _lastArrival = now;
            Monitor.PulseAll(_gate);
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static state => ((EncoderBatcher)((object[])state!)[0]).Abandon((BatchRequest)((object[])state!)[1]), new object[] { this, request });
            _ = request.Completion.Task.ContinueWith(static (_, r) => ((CancellationTokenRegistration)r!).Dispose(), registration, TaskScheduler.Default);
        }

        return request.Completion.Task;
    }

    /// <summary>Stops taking work; queued requests fail with UNAVAILABLE, running batches finish.</summary>
    public Task StopAsync()
    {
        List<BatchRequest> pending;
        lock (_gate)
        {
            _stopping = true;
            pending = _buckets.SelectMany(b => b).Where(s => !s.Taken && !s.Request.Abandoned).Select(s => s.Request).Distinct().ToList();
            foreach (var bucket in _buckets)
            {
                bucket.Clear();
            }

            Array.Clear(_live);
            _queued = 0;
            Monitor.PulseAll(_gate);
        }

        foreach (var request in pending)
        {
            request.Completion.TrySetException(RpcErrors.Unavailable("slm-inference is shutting down.", TimeSpan.FromSeconds(1)));
        }

        return _stopped.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Bucket of a text: ⌈log2(tokens)⌉, so padding within a batch is under 2× (and small for short texts).</summary>
    private static int Bucket(int tokens) => Math.Min(BucketCount - 1, 32 - int.LeadingZeroCount(Math.Max(tokens, 1) - 1));

    private void Abandon(BatchRequest request)
    {
        lock (_gate)
        {
            if (request.Abandoned || request.Completion.Task.IsCompleted)
            {
                return;
            }

            request.Abandoned = true;
            foreach (var slot in request.Slots)
            {
                if (!slot.Taken)
                {
                    _live[slot.Bucket]--;
                    _queued--;
                }
            }
        }

        _telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "cancelled"), _tags[0]);
        request.Completion.TrySetCanceled(request.CancellationToken);
    }

    private void Work()
    {
        try
        {
            while (TakeBatch() is { } batch)
            {
                Run(batch);
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _running) == 0)
            {
                _stopped.TrySetResult();
            }
        }
    }

    /// <summary>Waits for work, picks the bucket with the oldest text, lets it fill until MaxBatchWait, and takes it.</summary>
    private List<BatchSlot>? TakeBatch()
    {
        lock (_gate)
        {
            while (true)
            {
                if (_stopping)
                {
                    return null;
                }

                var bucket = OldestBucket();
                if (bucket < 0)
                {
                    Monitor.Wait(_gate);
                    continue;
                }

                // Waiting pays only when more calls are coming: adaptively, only while calls arrive (on average)
                // less than MaxBatchWait apart, so a lone caller is never delayed.
                var worthWaiting = !_adaptive || _arrivalGap < _maxWaitTicks;
                var deadline = worthWaiting ? _buckets[bucket].Peek().Request.EnqueuedAt + _maxWaitTicks : 0;
                while (!_stopping && _live[bucket] < _maxBatch)
                {
                    var remaining = deadline - Stopwatch.GetTimestamp();
                    if (remaining <= 0)
                    {
                        break;
                    }

                    Monitor.Wait(_gate, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency));
                }

                if (_live[bucket] == 0)
                {
                    // Every text of that bucket was cancelled while we waited.
                    continue;
                }

                var batch = new List<BatchSlot>(Math.Min(_live[bucket], _maxBatch));
                var queue = _buckets[bucket];
                while (batch.Count < _maxBatch && queue.TryDequeue(out var slot))
                {
                    if (slot.Request.Abandoned)
                    {
                        continue;
                    }

                    slot.Taken = true;
                    batch.Add(slot);
                }

                _live[bucket] -= batch.Count;
                _queued -= batch.Count;
                return batch;
            }
        }
    }

    /// <summary>The bucket whose first live text has waited longest, dropping abandoned slots from the heads; -1 if none.</summary>
    private int OldestBucket()
    {
        var best = -1;
        var oldest = long.MaxValue;
        for (var b = 0; b < BucketCount; b++)
        {
            var queue = _buckets[b];
            while (queue.TryPeek(out var head) && head.Request.Abandoned)
            {
                queue.Dequeue();
            }

            if (queue.TryPeek(out var first) && first.Request.EnqueuedAt < oldest)
            {
                oldest = first.Request.EnqueuedAt;
                best = b;
            }
        }

        return best;
    }

    private void Run(List<BatchSlot> batch)
    {
        var start = Stopwatch.GetTimestamp();
        var dims = Encoder.Dimensions;
        var texts = ArrayPool<EncodedText>.Shared.Rent(batch.Count);
        var buffer = ArrayPool<float>.Shared.Rent(batch.Count * dims * 2);
        var links = new ActivityLink[batch.Count];
        var tokens = 0;
        var width = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            texts[i] = batch[i].Text;
            tokens += texts[i].Length;
            width = Math.Max(width, texts[i].Length);
            links[i] = new ActivityLink(batch[i].Request.Parent);
            _telemetry.QueueWait.Record(Stopwatch.GetElapsedTime(batch[i].Request.EnqueuedAt, start).TotalSeconds, _tags);
        }

        using var activity = InferenceTelemetry.Source.StartActivity(ActivityKind.Internal, default(ActivityContext), links: links, name: $"batch {Encoder.Name}");
        activity?.SetTag("gen_ai.request.model", Encoder.Name);
        activity?.SetTag("hybridai.batch.size", batch.Count);
        activity?.SetTag("hybridai.batch.tokens", tokens);
        activity?.SetTag("hybridai.batch.padded_tokens", width * batch.Count);
        activity?.SetTag("hybridai.execution_provider", Encoder.ExecutionProvider);
        try
        {
            var block = batch.Count * dims;
            Encoder.Embed(texts.AsSpan(0, batch.Count), buffer.AsSpan(0, block), buffer.AsSpan(block, block));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            _telemetry.BatchSize.Record(batch.Count, _tags);
            _telemetry.BatchDuration.Record(seconds, _tags);
            _telemetry.TokensPerSecond.Record(tokens / Math.Max(seconds, 1e-9), _tags);
            for (var i = 0; i < batch.Count; i++)
            {
                var slot = batch[i];
                buffer.AsSpan(i * dims, dims).CopyTo(slot.Request.Output.AsSpan(slot.Index * 2 * dims, dims));
                buffer.AsSpan(block + (i * dims), dims).CopyTo(slot.Request.Output.AsSpan((slot.Index * 2 * dims) + dims, dims));
                if (Interlocked.Decrement(ref slot.Request.Remaining) == 0)
                {
                    slot.Request.Completion.TrySetResult();
                }
            }
        }
#pragma warning disable CA1031 // The worker must survive any inference failure and hand it to the callers.
        catch (Exception e)
#pragma warning restore CA1031
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            _telemetry.Errors.Add(1, new KeyValuePair<string, object?>("error.type", "inference"), _tags[0]);
            foreach (var request in batch.Select(s => s.Request).Distinct())
            {
                request.Completion.TrySetException(RpcErrors.Unavailable($"Encoder '{Encoder.Name}' failed on a batch: {e.Message}", TimeSpan.FromSeconds(1)));
            }
        }
        finally
        {
            ArrayPool<EncodedText>.Shared.Return(texts, clearArray: true);
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
