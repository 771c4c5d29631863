using System.Diagnostics;
using Grpc.Net.Client;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Testing;
using HybridAI.Testing.Upstreams;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenTelemetry.Trace;

namespace HybridAI.LlmProxy.Tests;

/// <summary>
/// llm-proxy in process (TestServer) with a gRPC client, a log collector and an in-memory trace exporter, configured
/// against in-test upstreams. Resilience settings are shortened so fault tests take milliseconds, not minutes.
/// </summary>
public sealed class ProxyHost : IAsyncDisposable
{
    public static readonly Dictionary<string, string?> FastResilience = new()
    {
        // Generous enough for a cold, loaded CI machine; the timeout tests set their own short values.
        ["LlmProxy:Resilience:FirstTokenTimeout"] = "00:00:05",
        ["LlmProxy:Resilience:TotalTimeout"] = "00:00:10",
        ["LlmProxy:Resilience:MaxRetries"] = "2",
        ["LlmProxy:Resilience:RetryBaseDelay"] = "00:00:00.010",
        ["LlmProxy:Resilience:RetryMaxDelay"] = "00:00:00.050",
        ["LlmProxy:Resilience:MaxRetryAfter"] = "00:00:02",
        ["LlmProxy:Resilience:CircuitBreaker:MinimumThroughput"] = "1000",
        ["LlmProxy:Resilience:CircuitBreaker:SamplingDuration"] = "00:00:10",
        ["LlmProxy:Resilience:CircuitBreaker:BreakDuration"] = "00:00:01",
    };

    private readonly ServiceFactory<LlmProxyOptions> _root;
    private readonly Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<LlmProxyOptions> _factory;
    private readonly GrpcChannel _channel;
    private readonly List<Activity> _spans = [];

    private ProxyHost(Dictionary<string, string?> settings)
    {
        _root = new ServiceFactory<LlmProxyOptions>(settings);
        _factory = _root.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
            services.AddOpenTelemetry().WithTracing(t => t.AddInMemoryExporter(_spans));
        }));
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        Client = new LlmService.LlmServiceClient(_channel);
    }

    public LlmService.LlmServiceClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    public FakeLogCollector Logs => _factory.Services.GetFakeLogCollector();

    /// <summary>Spans ended so far.</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>The status word <c>/health</c> answers.</summary>
    public async Task<string> HealthAsync(CancellationToken cancellationToken)
    {
        using var http = _factory.CreateClient();
        return await http.GetStringAsync(new Uri("/health", UriKind.Relative), cancellationToken);
    }

    /// <summary>
    /// The spans of one request (its request span and everything in the same trace). Tests in one process share the
    /// ActivitySource, so spans are picked by request id, not by host.
    /// </summary>
    public IReadOnlyList<Activity> SpansOf(CompletionRequest request)
    {
        var spans = Spans;
        var root = spans.Single(s => (string?)s.GetTagItem("hybridai.request_id") == request.Context.RequestId);
        return [.. spans.Where(s => s.TraceId == root.TraceId)];
    }

    /// <summary>Starts the proxy with <paramref name="settings"/> on top of <see cref="FastResilience"/>.</summary>
    public static ProxyHost Start(Dictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(FastResilience);
        foreach (var (k, v) in settings)
        {
            all[k] = v;
        }

        return new ProxyHost(all);
    }

    /// <summary>Settings for one catalogue entry at index <paramref name="index"/>.</summary>
    public static Dictionary<string, string?> Model(int index, string id, LlmUpstream upstream, string provider = "openai-compatible",
        string upstreamModel = "gpt-4o-mini", string? apiKey = null, int contextWindow = 128_000, int maxOutputTokens = 4_096)
    {
        var prefix = $"LlmProxy:Models:{index}:";
        var settings = new Dictionary<string, string?>
        {
            [prefix + "Id"] = id,
            [prefix + "Provider"] = provider,
            [prefix + "UpstreamModel"] = upstreamModel,
            [prefix + "Endpoint"] = upstream.BaseAddress.ToString(),
            [prefix + "ContextWindow"] = contextWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [prefix + "MaxOutputTokens"] = maxOutputTokens.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [prefix + "InputPricePerMTok"] = "2.5",
            [prefix + "CachedInputPricePerMTok"] = "1.25",
            [prefix + "OutputPricePerMTok"] = "10",
        };
        if (apiKey is not null)
        {
            settings[prefix + "ApiKeyRef"] = id;
            settings[$"LlmProxy:ApiKeys:{id}"] = apiKey;
        }

        return settings;
    }

    public static Dictionary<string, string?> Merge(params Dictionary<string, string?>[] parts) => Testing.Services.ServiceSettings.Merge(parts);

    public static CompletionRequest Request(params string[] targets)
    {
        var request = new CompletionRequest
        {
            Messages =
            {
                new ChatMessage { Role = "system", Content = "You are terse." },
                new ChatMessage { Role = "user", Content = "Say hello." },
            },
            Context = new RequestContext { TenantId = "tenant-a", RequestId = Guid.NewGuid().ToString("N") },
        };
        request.Targets.AddRange(targets);
        return request;
    }

    /// <summary>Reads a whole stream: the deltas' text, the tool-call deltas and the final chunk.</summary>
    public async Task<(string Text, List<ToolCallDelta> ToolCalls, CompletionDone? Done)> StreamAsync(CompletionRequest request, CancellationToken cancellationToken)
    {
        using var call = Client.Stream(request, cancellationToken: cancellationToken);
        var text = new System.Text.StringBuilder();
        var tools = new List<ToolCallDelta>();
        CompletionDone? done = null;
        while (await call.ResponseStream.MoveNext(cancellationToken))
        {
            var chunk = call.ResponseStream.Current;
            if (chunk.Delta is { } delta)
            {
                text.Append(delta.Content);
                tools.AddRange(delta.ToolCalls);
            }
            else
            {
                done = chunk.Done;
            }
        }

        return (text.ToString(), tools, done);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _factory.DisposeAsync();
        await _root.DisposeAsync();
    }
}
