using System.Diagnostics;
using System.Globalization;
using HybridAI.Reliability.Tests.Harness;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Reliability.Tests;

/// <summary>A fixed-rate soak through the edge, with the whole stack in this process.</summary>
public sealed class SoakTests(LocalTier local)
{
    /// <summary>The 60 seconds at a fixed rate.</summary>
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(125);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Invariant: at a fixed rate (8 requests/s, open loop: a slow answer does not slow the sender) through the edge with
    /// the dev key, half FAQ answers and half unique LLM prompts, every request is served (error rate 0), and memory
    /// stays flat: the GC heap after a full collection and the process working set (every service of the stack lives in
    /// this process), sampled every 3 s and written to the test output, do not grow between the start of the second
    /// quarter and the end beyond a generous bound (heap ×1.5 + 64 MiB, working set +256 MiB).
    /// </summary>
    [Fact]
    public async Task SixtySecondSoakThroughTheEdgeHasNoErrorsAndFlatMemory()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.RecordRequests = false;
        upstream.Respond(UpstreamReply.WithText("An answer from the LLM."));
        using var stack = new Stack(local);
        stack.StartGovernance();
        stack.StartLlmProxy(ServiceSettings.LlmModel(0, "gpt-primary", upstream, 2.5m, 10m));
        stack.StartRouter();
        stack.StartEdge();
        using var http = new HttpClient { BaseAddress = stack.Edge!.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Stack.DevKey);

        // Warm up (JIT, connections, policy and key caches) before measuring.
        var warm = await Traffic.RunAsync(http, 8, 2, i => i % 2 == 0 ? Traffic.FaqQuestion : Traffic.LlmPrompt(), Ct);
        Assert.All(warm, o => Assert.True(o.Ok, $"warm-up: {o}"));

        var samples = new List<(TimeSpan At, long Heap, long WorkingSet)>();
        var requests = new List<Task<Outcome>>();
        var clock = Stopwatch.StartNew();
        var nextSample = TimeSpan.Zero;
        using var timer = new PeriodicTimer(Interval);
        var sent = 0;
        while (clock.Elapsed < Duration)
        {
            if (clock.Elapsed >= nextSample)
            {
                samples.Add(Sample(clock.Elapsed));
                nextSample += SampleEvery;
            }

            var prompt = sent++ % 2 == 0 ? Traffic.FaqQuestion : Traffic.LlmPrompt();
            requests.Add(Traffic.SendAsync(http, prompt, Ct));
            await timer.WaitForNextTickAsync(Ct);
        }

        var outcomes = await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(90), Ct);
        samples.Add(Sample(clock.Elapsed));

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{outcomes.Length} requests in {clock.Elapsed.TotalSeconds:F1} s ({outcomes.Length / Duration.TotalSeconds:F1}/s): "
            + Traffic.Summary("soak", outcomes) + $", p50 {Percentile(outcomes, 0.5):F0} ms, p95 {Percentile(outcomes, 0.95):F0} ms");
        foreach (var (at, heap, workingSet) in samples)
        {
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t={at.TotalSeconds,5:F1}s  heap={heap / 1048576.0,7:F1} MiB  working set={workingSet / 1048576.0,7:F1} MiB"));
        }

        Assert.All(outcomes, o => Assert.True(o.Ok, $"error during the soak: {o}"));
        var quarter = samples.First(s => s.At >= Duration / 4);
        var end = samples[^1];
        Assert.True(end.Heap <= quarter.Heap * 3 / 2 + (64L << 20),
            $"GC heap grew from {quarter.Heap >> 20} MiB (t={quarter.At.TotalSeconds:F0}s) to {end.Heap >> 20} MiB");
        Assert.True(end.WorkingSet <= quarter.WorkingSet + (256L << 20),
            $"working set grew from {quarter.WorkingSet >> 20} MiB (t={quarter.At.TotalSeconds:F0}s) to {end.WorkingSet >> 20} MiB");
    }

    private static (TimeSpan At, long Heap, long WorkingSet) Sample(TimeSpan at)
    {
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return (at, heap, process.WorkingSet64);
    }

    private static double Percentile(Outcome[] outcomes, double p)
    {
        var sorted = outcomes.Select(o => o.Elapsed.TotalMilliseconds).Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
