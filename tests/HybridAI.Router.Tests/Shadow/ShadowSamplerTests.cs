using System.Diagnostics.Metrics;
using Grpc.Net.Client;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Catalogue;
using HybridAI.Router.Execution;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Requests;
using HybridAI.Router.Shadow;
using HybridAI.Router.Signals;
using HybridAI.Router.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tests.Shadow;

/// <summary>The sampler's data-class rules, before anything could leave: each exclusion is counted with its reason and nothing is queued.</summary>
public sealed class ShadowSamplerTests : IDisposable
{
    private const string Tenant = "sampler-unit";
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress("http://127.0.0.1:9");
    private readonly MeterListener _meters = new();
    private readonly List<(string Instrument, string Reason)> _measured = [];

    public ShadowSamplerTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RouterTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) =>
        {
            string reason = "", tenant = "";
            foreach (var tag in tags)
            {
                reason = tag.Key == "reason" ? tag.Value as string ?? "" : reason;
                tenant = tag.Key == "tenant" ? tag.Value as string ?? "" : tenant;
            }

            // The suite's routers share the meter's name: only this test's tenant counts.
            if (tenant != Tenant || !instrument.Name.StartsWith("hybridai.router.shadow.", StringComparison.Ordinal))
            {
                return;
            }

            lock (_measured)
            {
                _measured.Add((instrument.Name, reason));
            }
        });
        _meters.Start();
    }

    public void Dispose()
    {
        _meters.Dispose();
        _channel.Dispose();
        _services.Dispose();
    }

    [Theory]
    [InlineData(DataClass.Confidential)]
    [InlineData(DataClass.Restricted)]
    public void SensitiveAnswersAreNeverSampled(DataClass dataClass)
    {
        var sampler = Sampler();
        var request = Served("cache", new TenantPolicy { TenantId = Tenant });
        request.Signals!.Raise(dataClass);

        sampler.Offer(request);

        Assert.Equal(0, sampler.Queue.Count);
        Assert.Contains(("hybridai.router.shadow.skipped", "data_class"), Measured());
        Assert.DoesNotContain(Measured(), m => m.Instrument == "hybridai.router.shadow.sampled");
    }

    [Fact]
    public void LocalOnlyTenantsAnswersAreNeverSampled()
    {
        var sampler = Sampler();

        sampler.Offer(Served("slm", new TenantPolicy { TenantId = Tenant, PiiMode = PiiMode.LocalOnly }));

        Assert.Equal(0, sampler.Queue.Count);
        Assert.Contains(("hybridai.router.shadow.skipped", "local_only"), Measured());
    }

    [Theory]
    [InlineData("llm", "ok")]
    [InlineData("blocked", "blocked")]
    [InlineData("slm", "error")]
    public void OnlyAnswersServedFromTheSlmTierOrTheCacheAreConsidered(string route, string outcome)
    {
        var sampler = Sampler();
        var request = Served(route, new TenantPolicy { TenantId = Tenant });
        request.Outcome = outcome;

        sampler.Offer(request);

        Assert.Equal(0, sampler.Queue.Count);
        Assert.Empty(Measured());
    }

    [Fact]
    public void NothingIsConsideredWhenShadowEvaluationIsOff()
    {
        var sampler = Sampler(enabled: false);
        var request = Served("cache", new TenantPolicy { TenantId = Tenant });
        request.Signals!.Raise(DataClass.Restricted);

        sampler.Offer(request);

        Assert.Empty(Measured());
    }

    private ShadowSampler Sampler(bool enabled = true)
    {
        var options = Options.Create(new RouterOptions { Shadow = new ShadowOptions { Enabled = enabled, SampleRate = 1 } });
        var catalogue = new TargetCatalogue(new LlmService.LlmServiceClient(_channel), options, TimeProvider.System, NullLogger<TargetCatalogue>.Instance);
        return new ShadowSampler(options, catalogue, new LatencyTracker(), new ShadowBudget(TimeProvider.System),
            new RouterTelemetry(_services.GetRequiredService<IMeterFactory>()));
    }

    private static RoutedRequest Served(string route, TenantPolicy tenant)
    {
        var call = new ChatCall
        {
            Request = new ChatCompletionRequest { Model = "hybrid-auto", Messages = { new ChatMessage { Role = "user", Content = "Where are your stores?" } } },
            Caller = new Caller(tenant.TenantId, Guid.NewGuid().ToString("N"), ""),
        };
        return new RoutedRequest(call, DateTimeOffset.UtcNow)
        {
            Route = route,
            Tenant = tenant,
            Signals = new RequestSignals { Intent = "store_locations", PromptTokens = 6 },
            AnswerText = "We have stores in every major city.",
        };
    }

    private List<(string Instrument, string Reason)> Measured()
    {
        lock (_measured)
        {
            return [.. _measured];
        }
    }
}
