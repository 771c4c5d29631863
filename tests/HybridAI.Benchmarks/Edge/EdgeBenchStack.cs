using System.Net.Http.Headers;
using System.Text;
using HybridAI.Benchmarks.Encoder;
using HybridAI.Edge;
using HybridAI.Governance;
using HybridAI.LlmProxy;
using HybridAI.Retrieval;
using HybridAI.Router;
using HybridAI.Testing;
using HybridAI.Testing.Services;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Benchmarks.Edge;

/// <summary>
/// HybridAI as deployed, on loopback ports: governance, llm-proxy, retrieval, router and two edges in process,
/// slm-inference as its own process. <see cref="FullEdge"/> fronts the router (the LLM route, with the dev tenant's
/// budget escrow and receipts on); <see cref="GateOnlyEdge"/> is the same edge with the upstream itself standing where
/// the router would be, to separate the edge's cost from the router's.
/// </summary>
internal sealed class EdgeBenchStack : IAsyncDisposable
{
    public const string DevKey = "hai_dev-key-for-the-edge-benchmark-000000";
    private const string AdminKey = "admin-key-for-the-edge-benchmark-000000";

    private readonly string _data = Path.Combine(Path.GetTempPath(), "hybridai-bench", Guid.NewGuid().ToString("N"));
    private readonly List<IDisposable> _services = [];
    private ServiceProcess? _slm;

    public LoopbackService<EdgeOptions> FullEdge { get; private set; } = null!;

    public LoopbackService<EdgeOptions> GateOnlyEdge { get; private set; } = null!;

    public static async Task<EdgeBenchStack> StartAsync(OpenAIUpstream upstream, CancellationToken cancellationToken)
    {
        var root = SharedDatasets.RepositoryRoot();
        foreach (var (assembly, folder) in new[] { ("GOVERNANCE", "Governance"), ("LLMPROXY", "LlmProxy"), ("RETRIEVAL", "Retrieval"), ("ROUTER", "Router"), ("EDGE", "Edge") })
        {
            // The harness is not a test assembly, so WebApplicationFactory is told where each service's content root is.
            Environment.SetEnvironmentVariable($"ASPNETCORE_TEST_CONTENTROOT_HYBRIDAI_{assembly}", Path.Combine(root, "services", folder));
        }

        var stack = new EdgeBenchStack();
        var quiet = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        var governance = stack.Start<GovernanceOptions>("governance", quiet, new()
        {
            ["Governance:AdminApiKey"] = AdminKey,
            ["Governance:DevApiKey"] = DevKey,
            ["Governance:DataPath"] = Path.Combine(stack._data, "governance"),
        });
        stack._slm = await ServiceProcess.StartAsync(new Dictionary<string, string>
        {
            ["Inference:Device"] = "cpu",
            ["Inference:CacheDirectory"] = Path.Combine(Path.GetTempPath(), "hybridai-bench", "models"),
        }, cancellationToken);
        var slm = new Dictionary<string, string?> { ["services:slm-inference:grpc:0"] = stack._slm.GrpcAddress.ToString().TrimEnd('/') };
        var llm = stack.Start<LlmProxyOptions>("llm-proxy", quiet, new()
        {
            ["LlmProxy:Default:Endpoint"] = upstream.BaseAddress.ToString(),
            ["LlmProxy:Default:Provider"] = "openai-compatible",
            ["LlmProxy:Default:UpstreamModel"] = "gpt-4o-mini",
        });
        var retrieval = stack.Start<RetrievalOptions>("retrieval", quiet, slm, new()
        {
            ["Retrieval:DataPath"] = Path.Combine(stack._data, "retrieval"),
        });
        var router = stack.Start<RouterOptions>("router", quiet, slm, llm.DiscoverySettings(), retrieval.DiscoverySettings(), governance.DiscoverySettings(), new()
        {
            ["GovernanceClient:OutboxPath"] = Path.Combine(stack._data, "router-outbox.db"),
            // Every call must take the LLM route: a cached answer would measure the cache.
            ["Router:Cache:Enabled"] = "false",
        });
        var edge = new Dictionary<string, string?> { ["Edge:AdminApiKey"] = AdminKey };
        stack.FullEdge = stack.Start<EdgeOptions>("edge", quiet, edge, router.DiscoverySettings(), retrieval.DiscoverySettings(), governance.DiscoverySettings());
        stack.GateOnlyEdge = stack.Start<EdgeOptions>("edge", quiet, edge, governance.DiscoverySettings(), new()
        {
            ["services:router:http:0"] = upstream.Root.ToString().TrimEnd('/'),
        });

        // A day budget on the dev tenant, so every LLM call reserves and settles in governance's escrow.
        using var admin = new HttpClient { BaseAddress = stack.FullEdge.HttpAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri("/admin/tenants/dev/policy", UriKind.Relative))
        {
            Content = new StringContent("""{ "budgets": [{ "period": "day", "limit_micros": "1000000000000" }] }""", Encoding.UTF8, "application/json"),
        };
        (await admin.SendAsync(put, cancellationToken)).EnsureSuccessStatusCode();
        return stack;
    }

    private LoopbackService<T> Start<T>(string name, params Dictionary<string, string?>[] settings) where T : class
    {
        var all = new Dictionary<string, string?>();
        foreach (var part in settings)
        {
            foreach (var (key, value) in part)
            {
                all[key] = value;
            }
        }

        var service = new LoopbackService<T>(name, all);
        _services.Add(service);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            _services[i].Dispose();
        }

        if (_slm is not null)
        {
            await _slm.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
