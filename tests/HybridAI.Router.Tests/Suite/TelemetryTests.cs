using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// One trace per request across router, slm-inference, retrieval and llm-proxy, with the decision on the router's span,
/// and the router's metrics under the names the Grafana dashboard reads. All services run in this process, so one
/// listener sees every service's spans; spans are picked by the trace the test started.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly ActivitySource Caller = new("HybridAI.Tests");

    private readonly HybridSuite _suite;
    private readonly ConcurrentBag<Activity> _spans = [];
    private readonly ConcurrentDictionary<string, int> _measured = new(StringComparer.Ordinal);
    private readonly ActivityListener _listener;
    private readonly MeterListener _meters = new();

    public TelemetryTests(HybridSuite suite)
    {
        _suite = suite;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("HybridAI.", StringComparison.Ordinal) || source.Name.StartsWith("Grpc", StringComparison.Ordinal)
                || source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || source.Name.StartsWith("System.Net.Http", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "HybridAI.Router")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, _, _, _) => _measured.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1));
        _meters.SetMeasurementEventCallback<double>((instrument, _, _, _) => _measured.AddOrUpdate(instrument.Name, 1, (_, n) => n + 1));
        _meters.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public async Task OneTraceCarriesTheRequestThroughEveryServiceWithTheDecisionOnTheRouterSpan()
    {
        using var http = _suite.RouterClient();
        using var caller = Caller.StartActivity("caller")!;
        var traceId = caller.TraceId;

        var routed = await Routed.PostAsync(http, $"{Routed.Marker()} Draft a rollout plan for a new payments API across three regions.");

        Assert.Equal("llm", routed.Route);
        var trace = await SpansOfAsync(traceId, s => s.Source.Name == "HybridAI.LlmProxy");
        var router = trace.SingleOrDefault(s => s.Source.Name == "HybridAI.Router" && s.OperationName == "router chat");
        Assert.True(router is not null, $"trace: {string.Join(", ", trace.Select(s => $"{s.Source.Name}/{s.DisplayName}"))}; router spans: {string.Join(", ", _spans.Where(s => s.Source.Name == "HybridAI.Router").Select(s => $"{s.DisplayName}@{s.TraceId}"))}; expected {traceId}");
        Assert.Equal("llm", router.GetTagItem("hybridai.route"));
        Assert.Equal(HybridSuite.PrimaryModel, router.GetTagItem("hybridai.model"));
        Assert.Equal("public", router.GetTagItem("hybridai.data_class"));
        Assert.NotNull(router.GetTagItem("hybridai.signals.intent"));
        Assert.True((double)router.GetTagItem("hybridai.cost_usd")! > 0);
        var names = string.Join(", ", trace.Select(s => $"{s.Source.Name}/{s.DisplayName}"));
        var services = trace.Select(s => s.Source.Name).ToHashSet();
        Assert.True(services.Contains("HybridAI.LlmProxy"), names);
        Assert.True(trace.Any(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("InferenceService/Classify", StringComparison.Ordinal)), names);
    }

    [Fact]
    public async Task RouterMetricsUseTheDashboardNames()
    {
        using var http = _suite.RouterClient(HybridSuite.TenantB);
        var prompt = $"{Routed.Marker()} Give me a checklist for an on-call handover.";

        await Routed.PostAsync(http, prompt);
        await Routed.PostAsync(http, prompt);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string[] expected = ["hybridai.router.requests", "hybridai.router.cost", "hybridai.router.baseline_cost", "hybridai.router.request.duration", "hybridai.router.cache.hits"];
        while (expected.Any(n => !_measured.ContainsKey(n)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.All(expected, name => Assert.True(_measured.ContainsKey(name), $"{name} was not recorded; recorded: {string.Join(", ", _measured.Keys)}"));
    }

    private async Task<List<Activity>> SpansOfAsync(ActivityTraceId traceId, Func<Activity, bool> until)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var trace = _spans.Where(s => s.TraceId == traceId).ToList();
            if (trace.Any(until) && trace.Any(s => s.Source.Name == "HybridAI.Router") || DateTime.UtcNow > deadline)
            {
                return trace;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
