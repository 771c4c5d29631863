using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Net.Client;
using HybridAI.Governance;
using HybridAI.Testing.Services;

namespace HybridAI.Edge.Tests.Hosts;

/// <summary>
/// The edge on real loopback ports in front of a real governance service (keys, policies, rate limits) and a
/// <see cref="RecordingBackend"/> standing in for router; retrieval's addresses point at a port nothing listens on, so
/// its routes show what callers get when a service is down. Limits are set low so the limit tests take milliseconds:
/// 64 KiB bodies, a 2 s idle timeout towards router, a 2 s slow-body grace, and a 1 s key cache (revocation bound).
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const string AdminKey = "admin-key-for-edge-tests-0123456789";
    public const long MaxBodyBytes = 64 * 1024;

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N"));
    private int _tenants;

    public RecordingBackend Backend { get; private set; } = null!;

    public LoopbackService<GovernanceOptions> Governance { get; private set; } = null!;

    public LoopbackService<EdgeOptions> Edge { get; private set; } = null!;

    /// <summary>A client of the edge's main port (HTTP/1.1) without credentials.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>A client of the edge's main port carrying the admin key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Backend = await RecordingBackend.StartAsync(CancellationToken.None);
        Governance = new LoopbackService<GovernanceOptions>("governance", new Dictionary<string, string?>
        {
            ["Governance:AdminApiKey"] = AdminKey,
            ["Governance:DataPath"] = _dataPath,
            ["Governance:KeyCacheSeconds"] = "1",
        });
        var deadPort = LoopbackPorts.Free();
        var settings = new Dictionary<string, string?>(Backend.DiscoverySettings("router"))
        {
            ["Edge:AdminApiKey"] = AdminKey,
            ["Edge:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture),
            ["Edge:Limits:MinRequestBodyBytesPerSecond"] = "1000",
            ["Edge:Limits:MinRequestBodyGracePeriod"] = "00:00:02",
            ["Edge:Limits:RequestHeadersTimeout"] = "00:00:02",
            ["Edge:AllowedCorsOrigins:0"] = "https://app.example.com",
            ["GovernanceClient:MaxKeyCacheSeconds"] = "1",
            ["GovernanceClient:InvalidKeyCacheSeconds"] = "0",
            ["GovernanceClient:PolicyRefreshSeconds"] = "1",
            ["ReverseProxy:Clusters:router-http:HttpRequest:ActivityTimeout"] = "00:00:02",
            ["services:retrieval:http:0"] = $"http://127.0.0.1:{deadPort}",
            ["services:retrieval:grpc:0"] = $"http://127.0.0.1:{deadPort}",
        };
        foreach (var (key, value) in Governance.DiscoverySettings())
        {
            settings[key] = value;
        }

        Edge = new LoopbackService<EdgeOptions>("edge", settings);
        Anonymous = new HttpClient { BaseAddress = Edge.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = Edge.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
    }

    /// <summary>A new tenant (created through the edge's admin route) and one key of it.</summary>
    public async Task<TenantKey> NewTenantAsync(string? policyJson = null)
    {
        var tenant = $"t{Interlocked.Increment(ref _tenants)}";
        var created = await Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), Json(new { id = tenant, name = tenant }), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        if (policyJson is not null)
        {
            using var put = new HttpRequestMessage(HttpMethod.Put, new Uri($"/admin/tenants/{tenant}/policy", UriKind.Relative))
            {
                Content = new StringContent(policyJson, Encoding.UTF8, "application/json"),
            };
            var stored = await Admin.SendAsync(put, Ct);
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        }

        return await IssueKeyAsync(tenant);
    }

    public async Task<TenantKey> IssueKeyAsync(string tenant)
    {
        var issued = await Admin.PostAsync(new Uri($"/admin/tenants/{tenant}/keys", UriKind.Relative), Json(new { name = "edge-tests" }), Ct);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await issued.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return new TenantKey(tenant, body.GetProperty("key_id").GetString()!, body.GetProperty("key").GetString()!);
    }

    /// <summary>A client of the edge's main port carrying <paramref name="key"/> as a Bearer token.</summary>
    public HttpClient ClientWith(string key)
    {
        var client = new HttpClient { BaseAddress = Edge.HttpAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A gRPC channel to the edge's h2c port.</summary>
    public GrpcChannel GrpcChannel() => Grpc.Net.Client.GrpcChannel.ForAddress(Edge.GrpcAddress);

    public static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        Anonymous.Dispose();
        Admin.Dispose();
        Edge.Dispose();
        Governance.Dispose();
        await Backend.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }
}

public sealed record TenantKey(string Tenant, string KeyId, string Key);

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
