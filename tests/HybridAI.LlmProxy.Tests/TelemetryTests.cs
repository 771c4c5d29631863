using System.Diagnostics;
using System.Diagnostics.Metrics;
using Grpc.Core;
using HybridAI.Testing.Upstreams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace HybridAI.LlmProxy.Tests;

/// <summary>GenAI semantic-convention spans and metrics, plus retries, fallbacks and breaker transitions.</summary>
public sealed class TelemetryTests
{
    private const string Meter = "HybridAI.LlmProxy";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EachUpstreamCallIsAGenAIChatSpanWithUsage()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText("hi").WithUsage(120, 7).WithModel("gpt-4o-mini-2024-07-18"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "gpt", upstream, "openai", apiKey: "telemetry-key-0001"));
        var request = ProxyHost.Request("gpt");
        request.MaxTokens = 50;
        request.Temperature = 0.5;

        await proxy.Client.CompleteAsync(request, cancellationToken: Ct);

        var spans = proxy.SpansOf(request);
        var chat = Assert.Single(spans, s => s.DisplayName == "chat gpt-4o-mini");
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal("chat", chat.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", chat.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini", chat.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gpt-4o-mini-2024-07-18", chat.GetTagItem("gen_ai.response.model"));
        Assert.Equal(50, chat.GetTagItem("gen_ai.request.max_tokens"));
        Assert.Equal(120, chat.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(7, chat.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(["stop"], (string[])chat.GetTagItem("gen_ai.response.finish_reasons")!);
        Assert.Equal("127.0.0.1", chat.GetTagItem("server.address"));
        var requestSpan = Assert.Single(spans, s => s.DisplayName == "llm_proxy Complete");
        Assert.Equal(requestSpan.SpanId, chat.ParentSpanId);
        Assert.Equal("gpt", requestSpan.GetTagItem("hybridai.llm_proxy.model"));
        Assert.Equal(370L, requestSpan.GetTagItem("hybridai.llm_proxy.cost_micros"));
        Assert.Equal("tenant-a", requestSpan.GetTagItem("hybridai.tenant_id"));
    }

    [Fact]
    public async Task GenAIClientMetricsAreRecorded()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Respond(UpstreamReply.WithText("hi").WithUsage(120, 7));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "gpt", upstream, "openai", apiKey: "telemetry-key-0001"));
        var meters = proxy.Services.GetRequiredService<IMeterFactory>();
        using var duration = new MetricCollector<double>(meters, Meter, "gen_ai.client.operation.duration");
        using var tokens = new MetricCollector<int>(meters, Meter, "gen_ai.client.token.usage");
        using var cost = new MetricCollector<long>(meters, Meter, "hybridai.llm_proxy.cost");
        using var ttft = new MetricCollector<double>(meters, Meter, "gen_ai.client.operation.time_to_first_chunk");

        await proxy.Client.CompleteAsync(ProxyHost.Request("gpt"), cancellationToken: Ct);
        await proxy.StreamAsync(ProxyHost.Request("gpt"), Ct);

        Assert.Equal(2, duration.GetMeasurementSnapshot().Count);
        var call = duration.GetMeasurementSnapshot()[0];
        Assert.Equal("openai", call.Tags["gen_ai.provider.name"]);
        Assert.Equal("gpt-4o-mini", call.Tags["gen_ai.request.model"]);
        Assert.False(call.Tags.ContainsKey("error.type"));
        var input = tokens.GetMeasurementSnapshot().Where(m => (string?)m.Tags["gen_ai.token.type"] == "input").ToList();
        var output = tokens.GetMeasurementSnapshot().Where(m => (string?)m.Tags["gen_ai.token.type"] == "output").ToList();
        Assert.Equal([120, 120], input.Select(m => m.Value));
        Assert.Equal([7, 7], output.Select(m => m.Value));
        Assert.Equal([370L, 370L], cost.GetMeasurementSnapshot().Select(m => m.Value));
        Assert.Single(ttft.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task RetriesFallbacksAndBreakerChangesAreCountedAndTraced()
    {
        await using var a = await OpenAIUpstream.StartAsync(Ct);
        await using var b = await OpenAIUpstream.StartAsync(Ct);
        a.Respond(UpstreamReply.Status(500));
        var settings = ProxyHost.Merge(ProxyHost.Model(0, "a", a), ProxyHost.Model(1, "b", b));
        settings["LlmProxy:Resilience:MaxRetries"] = "1";
        settings["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "2";
        await using var proxy = ProxyHost.Start(settings);
        var meters = proxy.Services.GetRequiredService<IMeterFactory>();
        using var retries = new MetricCollector<long>(meters, Meter, "hybridai.llm_proxy.retries");
        using var fallbacks = new MetricCollector<long>(meters, Meter, "hybridai.llm_proxy.fallbacks");
        using var transitions = new MetricCollector<long>(meters, Meter, "hybridai.llm_proxy.circuit_breaker.transitions");
        using var duration = new MetricCollector<double>(meters, Meter, "gen_ai.client.operation.duration");

        var request = ProxyHost.Request("a", "b");
        await proxy.Client.CompleteAsync(request, cancellationToken: Ct);

        var retry = Assert.Single(retries.GetMeasurementSnapshot());
        Assert.Equal(("a", "500"), ((string?)retry.Tags["hybridai.llm_proxy.target"], (string?)retry.Tags["error.type"]));
        var fallback = Assert.Single(fallbacks.GetMeasurementSnapshot());
        Assert.Equal(("a", "b"), ((string?)fallback.Tags["hybridai.llm_proxy.from"], (string?)fallback.Tags["hybridai.llm_proxy.to"]));
        var opened = Assert.Single(transitions.GetMeasurementSnapshot());
        Assert.Equal(("a", "open"), ((string?)opened.Tags["hybridai.llm_proxy.target"], (string?)opened.Tags["hybridai.llm_proxy.circuit_state"]));
        Assert.Equal(2, duration.GetMeasurementSnapshot().Count(m => m.Tags.TryGetValue("error.type", out var e) && (string?)e == "500"));

        var spans = proxy.SpansOf(request);
        var requestSpan = Assert.Single(spans, s => s.DisplayName == "llm_proxy Complete");
        Assert.Contains(requestSpan.Events, e => e.Name == "hybridai.llm_proxy.fallback");
        Assert.Equal(1, requestSpan.GetTagItem("hybridai.llm_proxy.fallbacks"));
        var failedCalls = spans.Where(s => s.DisplayName == "chat gpt-4o-mini" && s.Status == ActivityStatusCode.Error).ToList();
        Assert.Equal(2, failedCalls.Count);
        Assert.All(failedCalls, s => Assert.Equal("500", s.GetTagItem("error.type")));
    }

    [Fact]
    public async Task EveryCallIsCountedOnceWithItsOutcome()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.WithText("fine"), UpstreamReply.Status(400, "bad"), UpstreamReply.Cut(2));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "gpt", upstream));
        var meters = proxy.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<long>(meters, Meter, "hybridai.llm_proxy.requests");
        using var cost = new MetricCollector<long>(meters, Meter, "hybridai.llm_proxy.cost");

        await proxy.Client.CompleteAsync(ProxyHost.Request("gpt"), cancellationToken: Ct);
        await Assert.ThrowsAsync<RpcException>(() => proxy.Client.CompleteAsync(ProxyHost.Request("gpt"), cancellationToken: Ct).ResponseAsync);
        await Assert.ThrowsAsync<RpcException>(() => proxy.StreamAsync(ProxyHost.Request("gpt"), Ct));

        Assert.Equal(["ok", "failed", "partial"], requests.GetMeasurementSnapshot().Select(m => (string?)m.Tags["hybridai.llm_proxy.outcome"]));
        Assert.Equal(2, cost.GetMeasurementSnapshot().Count);
    }
}
