using Grpc.Core;
using HybridAI.Testing.Upstreams;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Timeouts, hangs, cut streams, malformed, mislabelled and huge responses, refused connections: their documented outcomes.</summary>
public sealed class TransportFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SlowFirstTokenFallsBackInvisiblyInAStream()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.SlowFirstToken(TimeSpan.FromSeconds(20), "too late"));
        b.Respond(UpstreamReply.Chunked("from ", "b"));
        var settings = ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b));
        settings["LlmProxy:Resilience:MaxRetries"] = "0";
        settings["LlmProxy:Resilience:FirstTokenTimeout"] = "00:00:01.5";
        await using var proxy = ProxyHost.Start(settings);

        var (text, _, done) = await proxy.StreamAsync(ProxyHost.Request("a", "b"), Ct);

        Assert.Equal("from b", text);
        Assert.Equal("b", done!.Model);
        Assert.Equal("timeout", done.Attempts[0].Outcome);
        Assert.Contains("no first token within 1.5 s", done.Attempts[0].Error, StringComparison.Ordinal);
        await WaitUntilAsync(() => a.Requests[0].Aborted, "the slow upstream request to be cancelled");
    }

    [Fact]
    public async Task SlowUnaryResponseIsDeadlineExceeded()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.SlowFirstToken(TimeSpan.FromSeconds(20)));
        var settings = ProxyHost.Model(0, "a", a);
        settings["LlmProxy:Resilience:MaxRetries"] = "0";
        settings["LlmProxy:Resilience:TotalTimeout"] = "00:00:01.5";
        settings["LlmProxy:Resilience:FirstTokenTimeout"] = "00:00:01";
        await using var proxy = ProxyHost.Start(settings);

        var error = await RpcAssert.ThrowsAsync(StatusCode.DeadlineExceeded, () => proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct).ResponseAsync);

        Assert.Contains("no complete response within 1.5 s", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("timeout", Assert.Single(RpcAssert.Failure(error).Attempts).Outcome);
    }

    [Fact]
    public async Task HangingUpstreamTimesOutAndFallsBack()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Hang());
        var settings = ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b));
        settings["LlmProxy:Resilience:MaxRetries"] = "0";
        settings["LlmProxy:Resilience:TotalTimeout"] = "00:00:01.5";
        settings["LlmProxy:Resilience:FirstTokenTimeout"] = "00:00:01";
        await using var proxy = ProxyHost.Start(settings);

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        Assert.Equal("b", response.Model);
        Assert.Equal("timeout", response.Attempts[0].Outcome);
    }

    [Fact]
    public async Task StreamCutBeforeTheFirstTokenFallsBackInvisibly()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Cut(afterChunks: 0));
        b.Respond(UpstreamReply.Chunked("whole ", "answer"));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b)));

        var (text, _, done) = await proxy.StreamAsync(ProxyHost.Request("a", "b"), Ct);

        Assert.Equal("whole answer", text);
        Assert.Equal(("error", 2), (done!.Attempts[0].Outcome, done.Attempts[0].Retries));
    }

    [Fact]
    public async Task StreamCutMidwayEndsWithAnErrorAndAccountsTheTokensSent()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Cut(afterChunks: 3, "alpha beta gamma delta epsilon"));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b)));
        using var call = proxy.Client.Stream(ProxyHost.Request("a", "b"), cancellationToken: Ct);
        var received = "";

        var error = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, async () =>
        {
            while (await call.ResponseStream.MoveNext(Ct))
            {
                Assert.True(call.ResponseStream.Current.Delta is not null, $"the stream completed: {call.ResponseStream.Current}");
                received += call.ResponseStream.Current.Delta.Content;
            }
        });

        Assert.Equal("alpha beta gamma ", received);
        var failure = RpcAssert.Failure(error);
        Assert.True(failure.Partial);
        Assert.Equal("a", failure.Model);
        Assert.True(failure.Usage.Estimated);
        Assert.Equal(new HybridAI.Tokens.TokenCounter().Count("o200k_base", received), failure.Usage.CompletionTokens);
        Assert.True(failure.Usage.PromptTokens > 0);
        Assert.True(failure.CostMicros > 0);
        Assert.Contains($"after {failure.Usage.CompletionTokens} completion tokens had been sent", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, a.RequestCount);
        Assert.Equal(0, b.RequestCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task MalformedJsonFallsBackToTheNextTarget(bool stream)
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.MalformedJson());
        b.Respond(UpstreamReply.WithText("fine"));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b)));

        var (model, text, first) = stream
            ? await StreamedAsync(proxy, ProxyHost.Request("a", "b"))
            : await UnaryAsync(proxy, ProxyHost.Request("a", "b"));

        Assert.Equal(("b", "fine"), (model, text));
        Assert.Equal(("error", 0), (first.Outcome, first.Retries));
        Assert.Equal(1, a.RequestCount);
    }

    [Fact]
    public async Task MalformedJsonOnTheOnlyTargetIsUnavailable()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.MalformedJson());
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", a));

        var error = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct).ResponseAsync);

        Assert.Matches("malformed|unusable", error.Status.Detail);
    }

    [Fact]
    public async Task WrongContentTypeFallsBackNamingTheContentType()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.WrongContentType());
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b)));

        var (model, _, first) = await StreamedAsync(proxy, ProxyHost.Request("a", "b"));

        Assert.Equal("b", model);
        Assert.Contains("content type 'text/html'", first.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeResponseIsRefusedAtTheSizeLimit()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Huge(bytes: 2 * 1024 * 1024));
        var settings = ProxyHost.Model(0, "a", a);
        settings["LlmProxy:MaxResponseBytes"] = "262144";
        await using var proxy = ProxyHost.Start(settings);

        var error = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct).ResponseAsync);

        Assert.Contains("exceeded LlmProxy:MaxResponseBytes (262144 bytes)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeStreamIsCutAtTheSizeLimitWithItsTokensAccounted()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Huge(bytes: 2 * 1024 * 1024));
        var settings = ProxyHost.Model(0, "a", a);
        settings["LlmProxy:MaxResponseBytes"] = "262144";
        await using var proxy = ProxyHost.Start(settings);

        var error = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => proxy.StreamAsync(ProxyHost.Request("a"), Ct));

        var failure = RpcAssert.Failure(error);
        Assert.True(failure.Partial);
        Assert.True(failure.Usage.CompletionTokens > 0);
        Assert.Contains("MaxResponseBytes", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectionRefusedIsRetriedThenFallsBack()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        var settings = ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b));
        await a.DisposeAsync();
        await using var proxy = ProxyHost.Start(settings);

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        Assert.Equal("b", response.Model);
        Assert.Equal(("error", 2), (response.Attempts[0].Outcome, response.Attempts[0].Retries));
        Assert.Contains("connection", response.Attempts[0].Error, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<(string Model, string Text, Contracts.Llm.V1.TargetAttempt First)> UnaryAsync(ProxyHost proxy, Contracts.Llm.V1.CompletionRequest request)
    {
        var response = await proxy.Client.CompleteAsync(request, cancellationToken: Ct);
        return (response.Model, response.Message.Content, response.Attempts[0]);
    }

    private static async Task<(string Model, string Text, Contracts.Llm.V1.TargetAttempt First)> StreamedAsync(ProxyHost proxy, Contracts.Llm.V1.CompletionRequest request)
    {
        var (text, _, done) = await proxy.StreamAsync(request, Ct);
        return (done!.Model, text, done.Attempts[0]);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20, Ct);
        }
    }
}
