using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using HybridAI.Testing.Upstreams;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Upstream error statuses and open breakers, and their documented outcomes (docs/llm-proxy.md, "Failure semantics").</summary>
public sealed class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerErrorsAreRetriedOnTheSameTarget()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Enqueue(UpstreamReply.Status(500), UpstreamReply.Status(502));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", a));

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct);

        Assert.Equal("a", response.Model);
        var attempt = Assert.Single(response.Attempts);
        Assert.Equal(("ok", 2), (attempt.Outcome, attempt.Retries));
        Assert.Equal(3, a.RequestCount);
    }

    [Fact]
    public async Task ServerErrorsAfterRetriesFallBackToTheNextTarget()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Status(503, "The engine is currently overloaded"));
        b.Respond(UpstreamReply.WithText("from b"));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b)));

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        Assert.Equal(("b", "from b"), (response.Model, response.Message.Content));
        Assert.Equal(("error", 503, 2), (response.Attempts[0].Outcome, response.Attempts[0].HttpStatus, response.Attempts[0].Retries));
        Assert.Contains("The engine is currently overloaded", response.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal("ok", response.Attempts[1].Outcome);
        Assert.Equal(3, a.RequestCount);
    }

    [Fact]
    public async Task ServerErrorsOnEveryTargetAreUnavailableWithEveryAttempt()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Status(500, "boom"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", a));

        var error = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct).ResponseAsync);

        Assert.Contains("500 Internal Server Error: boom", error.Status.Detail, StringComparison.Ordinal);
        var attempt = Assert.Single(RpcAssert.Failure(error).Attempts);
        Assert.Equal(("a", "error", 500, 2), (attempt.Target, attempt.Outcome, attempt.HttpStatus, attempt.Retries));
    }

    [Fact]
    public async Task RateLimitIsRetriedAfterTheRetryAfterDelay()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Enqueue(UpstreamReply.RateLimited(retryAfterSeconds: 1));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", a));
        var clock = Stopwatch.StartNew();

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {clock.Elapsed}, before Retry-After");
        Assert.Equal(("ok", 1), (response.Attempts[0].Outcome, response.Attempts[0].Retries));
        Assert.Equal(2, a.RequestCount);
    }

    [Fact]
    public async Task RateLimitLongerThanMaxRetryAfterFallsBackAtOnce()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.RateLimited(retryAfterSeconds: 60));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b)));
        var clock = Stopwatch.StartNew();

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"waited {clock.Elapsed}");
        Assert.Equal("b", response.Model);
        Assert.Equal(("rate_limited", 429, 60_000L), (response.Attempts[0].Outcome, response.Attempts[0].HttpStatus, response.Attempts[0].RetryAfterMs));
        Assert.Equal(1, a.RequestCount);
    }

    [Fact]
    public async Task PersistentRateLimitIsResourceExhaustedWithRetryInfo()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.RateLimited(retryAfterSeconds: 30, "Rate limit reached for gpt-4o-mini"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", a));

        var error = await RpcAssert.ThrowsAsync(StatusCode.ResourceExhausted, () => proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct).ResponseAsync);

        Assert.Contains("Rate limit reached for gpt-4o-mini", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), error.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan());
    }

    [Theory]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.NotFound)]
    [InlineData(400, StatusCode.InvalidArgument)]
    [InlineData(422, StatusCode.InvalidArgument)]
    public async Task ClientErrorsMapToTheirStatusWithoutRetries(int status, StatusCode expected)
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Status(status, $"provider says {status}"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "a", a));

        var error = await RpcAssert.ThrowsAsync(expected, () => proxy.Client.CompleteAsync(ProxyHost.Request("a"), cancellationToken: Ct).ResponseAsync);

        Assert.Contains($"provider says {status}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, a.RequestCount);
        if (status == 404)
        {
            Assert.Equal("gpt-4o-mini", error.GetRpcStatus()!.GetDetail<ResourceInfo>().ResourceName);
        }
    }

    [Fact]
    public async Task DifferentFailuresAcrossTheChainAreUnavailable()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await AnthropicUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Status(401, "Incorrect API key provided"));
        b.Respond(UpstreamReply.Status(529, "Overloaded"));
        await using var proxy = ProxyHost.Start(ProxyHost.Merge(
            ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b, "anthropic", "claude-test", apiKey: "anthropic-key-0002")));

        var error = await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct).ResponseAsync);

        Assert.Contains("Incorrect API key provided", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Overloaded", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["a", "b"], RpcAssert.Failure(error).Attempts.Select(x => x.Target));
    }

    [Fact]
    public async Task OpenCircuitSkipsTheTargetUntilItRecovers()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Status(500));
        var settings = ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b));
        settings["LlmProxy:Resilience:MaxRetries"] = "0";
        settings["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "2";
        await using var proxy = ProxyHost.Start(settings);

        await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);
        await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);
        var skipped = await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        Assert.Equal("circuit_open", skipped.Attempts[0].Outcome);
        Assert.Equal(2, a.RequestCount);
        Assert.Equal("open", (await proxy.Client.ListModelsAsync(new(), cancellationToken: Ct)).Models.Single(m => m.Id == "a").CircuitState);
        Assert.Equal("Degraded", await proxy.HealthAsync(Ct));

        a.Respond(UpstreamReply.WithText("recovered"));
        await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
        var probe = await proxy.Client.CompleteAsync(ProxyHost.Request("a", "b"), cancellationToken: Ct);

        Assert.Equal(("a", "recovered"), (probe.Model, probe.Message.Content));
        Assert.Equal("closed", (await proxy.Client.ListModelsAsync(new(), cancellationToken: Ct)).Models.Single(m => m.Id == "a").CircuitState);
        Assert.Equal("Healthy", await proxy.HealthAsync(Ct));
    }
}
