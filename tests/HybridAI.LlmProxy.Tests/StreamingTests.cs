using System.Diagnostics.Metrics;
using Grpc.Core;
using HybridAI.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Streaming end to end: cancellation reaches the upstream, and a slow caller slows the upstream down.</summary>
public sealed class StreamingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CallerGoingAwayCancelsTheUpstreamRequest()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText(string.Join(' ', Enumerable.Repeat("word", 200))).WithChunkDelay(TimeSpan.FromMilliseconds(20)));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", upstream));
        var meters = proxy.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(meters, "HybridAI.LlmProxy", "hybridai.llm_proxy.requests");
        using var calls = new MetricCollector<double>(meters, "HybridAI.LlmProxy", "gen_ai.client.operation.duration");
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var call = proxy.Client.Stream(ProxyHost.Request("a"), cancellationToken: caller.Token);

        Assert.True(await call.ResponseStream.MoveNext(Ct));
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        await caller.CancelAsync();

        var request = Assert.Single(upstream.Requests);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!request.Aborted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(request.Aborted, "the upstream request should be aborted when the caller goes away");
        Assert.False(request.Completed);
        Assert.True(request.ChunksWritten < 200, $"the upstream wrote {request.ChunksWritten} of 200 chunks");

        // A caller leaving is not the upstream's failure: recorded as cancelled, never as an error of the target.
        await requests.WaitForMeasurementsAsync(1, TimeSpan.FromSeconds(5));
        Assert.Equal("cancelled", requests.GetMeasurementSnapshot().Single().Tags["hybridai.llm_proxy.outcome"]);
        Assert.Equal("cancelled", calls.GetMeasurementSnapshot().Single().Tags["error.type"]);
    }

    [Fact]
    public async Task SlowCallerPushesBackOnTheUpstream()
    {
        const int Chunks = 50_000;
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        var chunk = new string('x', 100) + " ";
        upstream.Respond(UpstreamReply.Chunked([.. Enumerable.Repeat(chunk, Chunks)]));
        var settings = ProxyHost.Model(0, "a", upstream);
        settings["LlmProxy:MaxResponseBytes"] = (64 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["LlmProxy:Resilience:TotalTimeout"] = "00:01:00";
        await using var proxy = ProxyHost.Start(settings);
        using var call = proxy.Client.Stream(ProxyHost.Request("a"), cancellationToken: Ct);

        // Read one chunk, then stop reading: every buffer between the caller and the upstream fills, and the
        // upstream's writes stop well short of the 13 MB it wants to send (the buffers hold about 3 MB).
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var request = Assert.Single(upstream.Requests);
        int before, after;
        do
        {
            before = request.ChunksWritten;
            await Task.Delay(300, Ct);
            after = request.ChunksWritten;
        }
        while (after != before);

        Assert.True(after < Chunks / 2, $"the upstream wrote {after} of {Chunks} chunks while the caller was not reading");

        var rest = 1;
        while (await call.ResponseStream.MoveNext(Ct))
        {
            rest += call.ResponseStream.Current.Delta is not null ? 1 : 0;
        }

        Assert.Equal(Chunks, rest);
        Assert.True(request.Completed);
    }

    [Fact]
    public async Task FirstDeltaNamesTheTargetThatServesAfterAFallback()
    {
        await using var failing = await OpenAIUpstream.StartAsync(Ct);
        await using var serving = await OpenAIUpstream.StartAsync(Ct);
        failing.Respond(UpstreamReply.Status(500));
        serving.Respond(UpstreamReply.Chunked("one ", "two ", "three"));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", failing), ProxyHost.Model(1, "b", serving)));
        using var call = proxy.Client.Stream(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        var deltas = new List<HybridAI.Contracts.Llm.V1.CompletionDelta>();
        while (await call.ResponseStream.MoveNext(Ct))
        {
            if (call.ResponseStream.Current.Delta is { } delta)
            {
                deltas.Add(delta);
            }
        }

        Assert.Equal(3, deltas.Count);
        Assert.Equal("b", deltas[0].Model);
        Assert.All(deltas.Skip(1), d => Assert.Empty(d.Model));
    }

    [Fact]
    public async Task EmptyCompletionEndsWithDoneAndNoDeltas()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(new UpstreamReply { Text = "", FinishReason = "length" });
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", upstream));

        var (text, tools, done) = await proxy.StreamAsync(ProxyHost.Request("a"), Ct);

        Assert.Equal("", text);
        Assert.Empty(tools);
        Assert.Equal("length", done!.FinishReason);
    }

    [Fact]
    public async Task DeadlineOfTheCallerBoundsTheStream()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.Default);
        upstream.Respond(UpstreamReply.SlowFirstToken(TimeSpan.FromSeconds(20)));
        var settings = ProxyHost.Model(0, "a", upstream);
        settings["LlmProxy:Resilience:FirstTokenTimeout"] = "00:00:30";
        settings["LlmProxy:Resilience:TotalTimeout"] = "00:01:00";
        await using var proxy = ProxyHost.Start(settings);
        await proxy.StreamAsync(ProxyHost.Request("a"), Ct);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = proxy.Client.Stream(ProxyHost.Request("a"), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: Ct);
            while (await call.ResponseStream.MoveNext(Ct))
            {
            }
        });

        // The client's deadline timer and the server's reset race; either way the call ends at the deadline, and what
        // matters here is that the proxy gave up the upstream request with it.
        Assert.Contains(error.StatusCode, new[] { StatusCode.DeadlineExceeded, StatusCode.Cancelled, StatusCode.Internal });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the call took {clock.Elapsed}");
        var request = upstream.Requests[1];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!request.Aborted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.True(request.Aborted);
    }
}
