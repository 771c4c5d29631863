using System.Diagnostics;
using HybridAI.Testing.Upstreams;

namespace HybridAI.LlmProxy.Tests;

/// <summary>A bounded loopback load with one failing and one healthy target: no request is lost.</summary>
public sealed class LoadTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailingTargetLosesNoRequestWhenAHealthyOneIsAllowed()
    {
        const int Requests = 400;
        const int Concurrency = 16;
        await using var failing = await OpenAIUpstream.StartAsync(Ct);
        await using var healthy = await OpenAIUpstream.StartAsync(Ct);
        failing.Respond(r => r.Index % 3 == 0 ? UpstreamReply.RateLimited(1) : UpstreamReply.Status(503, "overloaded"));
        healthy.Respond(UpstreamReply.Chunked("all ", "good"));
        var settings = ProxyHost.Merge(ProxyHost.Model(0, "failing", failing), ProxyHost.Model(1, "healthy", healthy));
        settings["LlmProxy:Resilience:MaxRetries"] = "1";
        settings["LlmProxy:Resilience:MaxRetryAfter"] = "00:00:00.5";
        settings["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "10";
        settings["LlmProxy:Resilience:CircuitBreaker:BreakDuration"] = "00:00:00.5";
        await using var proxy = ProxyHost.Start(settings);
        var served = new int[Requests];
        var next = -1;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < Requests)
            {
                var request = ProxyHost.Request("failing", "healthy");
                if (i % 2 == 0)
                {
                    var response = await proxy.Client.CompleteAsync(request, cancellationToken: Ct);
                    served[i] = response.Model == "healthy" && response.Message.Content == "all good" ? 1 : 0;
                }
                else
                {
                    var (text, _, done) = await proxy.StreamAsync(request, Ct);
                    served[i] = done?.Model == "healthy" && text == "all good" ? 1 : 0;
                }
            }
        }, Ct)));

        Assert.Equal(Requests, served.Sum());
        Assert.Equal(Requests, healthy.RequestCount);
        // The breaker kept most requests away from the failing target.
        Assert.True(failing.RequestCount < Requests, $"the failing target saw {failing.RequestCount} requests");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }
}
