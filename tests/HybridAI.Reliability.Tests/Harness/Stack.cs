using System.Net.Http.Json;
using HybridAI.Edge;
using HybridAI.Governance;
using HybridAI.LlmProxy;
using HybridAI.Router;
using HybridAI.Testing.Services;

namespace HybridAI.Reliability.Tests.Harness;

/// <summary>
/// One scenario's services on loopback ports, each of which can be stopped and started again on the same ports and
/// data (as a restarted pod keeps its address and volume): governance, llm-proxy, the router and optionally the edge,
/// on top of the shared <see cref="LocalTier"/>. Disposing it stops whatever is still running and deletes its data.
/// </summary>
public sealed class Stack(LocalTier local) : IDisposable
{
    public const string AdminKey = "reliability-admin-key-0123456789";
    public const string DevKey = "hai_reliability-dev-key-0123456789abcdef";

    private readonly string _root = Directory.CreateTempSubdirectory("hybridai-reliability-").FullName;
    private Dictionary<string, string?> _governanceSettings = [];
    private Dictionary<string, string?> _routerSettings = [];

    public string Root => _root;

    public LoopbackService<GovernanceOptions>? Governance { get; private set; }

    public LoopbackService<LlmProxyOptions>? LlmProxy { get; private set; }

    public LoopbackService<RouterOptions>? Router { get; private set; }

    public LoopbackService<EdgeOptions>? Edge { get; private set; }

    private (int Http, int Grpc) GovernancePorts { get; set; }

    public void StartGovernance(Dictionary<string, string?>? extra = null)
    {
        _governanceSettings = ServiceSettings.Merge(new()
        {
            ["Governance:AdminApiKey"] = AdminKey,
            ["Governance:DevApiKey"] = DevKey,
            ["Governance:DataPath"] = Path.Combine(_root, "governance"),
            ["Logging:LogLevel:Default"] = "Warning",
        }, extra ?? []);
        Governance = new LoopbackService<GovernanceOptions>("governance", _governanceSettings);
        GovernancePorts = (Governance.HttpPort, Governance.GrpcPort);
    }

    /// <summary>Kills governance: its host stops, its ports close; its data folder stays.</summary>
    public void StopGovernance()
    {
        Governance?.Dispose();
        Governance = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>Starts governance again on the same ports and data folder.</summary>
    public void RestartGovernance() =>
        Governance = new LoopbackService<GovernanceOptions>("governance", _governanceSettings, GovernancePorts.Http, GovernancePorts.Grpc);

    public void StartLlmProxy(Dictionary<string, string?> models) =>
        LlmProxy = new LoopbackService<LlmProxyOptions>("llm-proxy", ServiceSettings.Merge(models, new()
        {
            ["LlmProxy:Resilience:MaxRetries"] = "1",
            ["LlmProxy:Resilience:RetryBaseDelay"] = "00:00:00.010",
            ["LlmProxy:Resilience:RetryMaxDelay"] = "00:00:00.050",
            ["Logging:LogLevel:Default"] = "Warning",
        }));

    /// <summary>Starts a router wired to the stack (governance by its fixed ports, so it finds a restarted one).</summary>
    public void StartRouter(Dictionary<string, string?>? extra = null)
    {
        _routerSettings = ServiceSettings.Merge(
            local.Inference.DiscoverySettings(), local.Retrieval.DiscoverySettings(), LlmProxy!.DiscoverySettings(), GovernanceDiscovery(), new()
            {
                // The FAQ answers the dev tenant's questions; everything else goes to the LLM tier (no local generator).
                ["Router:Slm:Generator"] = "none",
                ["Router:Policy:Thresholds:Guard"] = "0.9",
                // Load prompts differ only in a case number: the semantic cache would answer most of them. The exact
                // cache stays on (and on Redis where the scenario has one).
                ["Router:Cache:Semantic"] = "false",
                ["GovernanceClient:OutboxPath"] = Path.Combine(_root, "router-outbox.db"),
                ["GovernanceClient:InitialRetryDelay"] = "00:00:00.050",
                ["GovernanceClient:MaxRetryDelay"] = "00:00:00.500",
                ["Logging:LogLevel:Default"] = "Warning",
            }, extra ?? []);
        Router = new LoopbackService<RouterOptions>("router", _routerSettings);
    }

    /// <summary>Stops the router's host and starts a new one on the same outbox (a crashed pod rescheduled on its volume).</summary>
    public void StopRouter()
    {
        Router?.Dispose();
        Router = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void RestartRouter() => Router = new LoopbackService<RouterOptions>("router", _routerSettings);

    public void StartEdge() =>
        Edge = new LoopbackService<EdgeOptions>("edge", ServiceSettings.Merge(Router!.DiscoverySettings(), local.Retrieval.DiscoverySettings(), GovernanceDiscovery(), new()
        {
            ["Edge:AdminApiKey"] = AdminKey,
            ["Logging:LogLevel:Default"] = "Warning",
        }));

    /// <summary>An HTTP client for the router acting as the edge for <paramref name="tenant"/>.</summary>
    public HttpClient RouterClient(string tenant)
    {
        var client = new HttpClient { BaseAddress = Router!.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("x-hybridai-tenant", tenant);
        return client;
    }

    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Governance!.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    public async Task CreateTenantAsync(string id, object? policy, CancellationToken cancellationToken)
    {
        using var admin = AdminClient();
        using (var created = await admin.PostAsJsonAsync("/admin/tenants", new { id, name = id }, cancellationToken))
        {
            Assert.True(created.IsSuccessStatusCode, $"creating tenant {id}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(cancellationToken)}");
        }

        if (policy is not null)
        {
            using var put = await admin.PutAsJsonAsync($"/admin/tenants/{id}/policy", policy, cancellationToken);
            Assert.True(put.IsSuccessStatusCode, $"policy of {id}: {(int)put.StatusCode} {await put.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public void Dispose()
    {
        Edge?.Dispose();
        Router?.Dispose();
        LlmProxy?.Dispose();
        Governance?.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A store still closing; the OS temp cleaner takes it.
        }
    }

    private Dictionary<string, string?> GovernanceDiscovery() => new()
    {
        ["services:governance:http:0"] = $"http://127.0.0.1:{GovernancePorts.Http}",
        ["services:governance:grpc:0"] = $"http://127.0.0.1:{GovernancePorts.Grpc}",
    };
}
