using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Inference.V1;
using HybridAI.SlmInference.Models;
using HybridAI.SlmInference.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HybridAI.SlmInference.Tests.Service;

/// <summary>Dynamic batching: coalescing, the bounded queue, cancellation and batch spans linked to requests.</summary>
public sealed class BatchingTests(BatchingTests.SlowHost slow, BatchingTests.FastHost fast) : IClassFixture<BatchingTests.SlowHost>, IClassFixture<BatchingTests.FastHost>
{
    /// <summary>Batches of at most 4 texts that wait up to a second to fill: the queue holds 4.</summary>
    public sealed class SlowHost() : InferenceHost(new Dictionary<string, string?>
    {
        ["Inference:MaxBatchSize"] = "4",
        ["Inference:QueueCapacity"] = "4",
        ["Inference:MaxBatchWait"] = "00:00:01",
        ["Inference:AdaptiveBatchWait"] = "false",
    });

    /// <summary>Batches of up to 32 texts that wait 50 ms to fill.</summary>
    public sealed class FastHost() : InferenceHost(new Dictionary<string, string?> { ["Inference:MaxBatchWait"] = "00:00:00.050" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConcurrentCallsAreCoalescedIntoBatches()
    {
        using var sizes = new MetricCollector<int>(fast.Factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), InferenceTelemetry.Name, "hybridai.inference.batch.size");
        var calls = Enumerable.Range(0, 16).Select(i => fast.Client.EmbedAsync(new EmbedRequest { Texts = { $"Where is card number {i}?" } }, cancellationToken: Ct).ResponseAsync);
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Equal(384, r.Embeddings[0].Values.Count));
        var batches = sizes.GetMeasurementSnapshot();
        Assert.Equal(16, batches.Sum(m => m.Value));
        Assert.True(batches.Max(m => m.Value) > 1, $"batch sizes: {string.Join(", ", batches.Select(m => m.Value))}");
    }

    [Fact]
    public async Task AFullQueueFailsFastWithResourceExhaustedAndARetryHint()
    {
        // Three texts wait for a fourth (up to a second); two more do not fit in a queue of four.
        var waiting = slow.Client.EmbedAsync(new EmbedRequest { Texts = { "one card", "two card", "red card" } }, cancellationToken: Ct).ResponseAsync;
        await WaitUntil(() => Queued(slow) == 3);

        var clock = Stopwatch.StartNew();
        var error = await InferenceHost.FailsWith(StatusCode.ResourceExhausted,
            () => slow.Client.EmbedAsync(new EmbedRequest { Texts = { "blue card", "new card" } }, cancellationToken: Ct).ResponseAsync);
        Assert.True(clock.ElapsedMilliseconds < 500, $"took {clock.ElapsedMilliseconds} ms");
        Assert.True(error.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        Assert.Contains("Retry", error.Status.Detail, StringComparison.Ordinal);

        Assert.Equal(3, (await waiting).Embeddings.Count);
    }

    [Fact]
    public async Task ACancelledCallerIsRemovedFromTheQueue()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var abandoned = slow.Client.EmbedAsync(new EmbedRequest { Texts = { "lost card", "stolen card", "found card" } }, cancellationToken: cancel.Token).ResponseAsync;
        await WaitUntil(() => Queued(slow) == 3);
        await cancel.CancelAsync();

        await InferenceHost.FailsWith(StatusCode.Cancelled, () => abandoned);
        await WaitUntil(() => Queued(slow) == 0);

        // Its place is free: four new texts fit and form a full batch at once.
        var clock = Stopwatch.StartNew();
        var response = await slow.Client.EmbedAsync(new EmbedRequest { Texts = { "card one", "card two", "card six", "card ten" } }, cancellationToken: Ct);
        Assert.Equal(4, response.Embeddings.Count);
        Assert.True(clock.ElapsedMilliseconds < 900, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task EachBatchSpanLinksTheRequestsItServed()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InferenceTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (activities) { activities.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            fast.Client.EmbedAsync(new EmbedRequest { Texts = { $"span test {i}" } }, cancellationToken: Ct).ResponseAsync));

        List<Activity> requests, batches;
        lock (activities)
        {
            requests = activities.Where(a => a.DisplayName == "embeddings all-MiniLM-L6-v2" && a.ParentId is not null).ToList();
            batches = activities.Where(a => a.DisplayName == "batch all-MiniLM-L6-v2").ToList();
        }

        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            Assert.Contains(batches, b => b.Links.Any(l => l.Context.SpanId == request.SpanId && l.Context.TraceId == request.TraceId));
        }
    }

    private static int Queued(InferenceHost host) =>
        host.Factory.Services.GetRequiredService<ModelHost>().Batchers.Values.Sum(b => b.QueuedTexts);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), "condition not met within 5 s");
            await Task.Delay(10, Ct);
        }
    }
}
