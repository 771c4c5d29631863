using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Testing;

namespace HybridAI.Governance.Tests.Api;

/// <summary>An in-process governance service with its own data folder, and clients for both of its APIs.</summary>
public sealed class GovernanceHost : IDisposable
{
    public const string AdminKey = "admin-key-for-tests-0123456789";

    private readonly GrpcChannel _channel;
    private readonly bool _ownsData;

    public GovernanceHost(IDictionary<string, string?>? extra = null, string? dataPath = null)
    {
        _ownsData = dataPath is null;
        DataPath = dataPath ?? Path.Combine(Path.GetTempPath(), "hybridai-tests", Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string?>
        {
            ["Governance:AdminApiKey"] = AdminKey,
            ["Governance:DataPath"] = DataPath,
            ["Governance:Targets:Known:0:Id"] = "gpt-4o-mini",
            ["Governance:Targets:Known:0:Region"] = "us",
            ["Governance:Targets:Known:1:Id"] = "mistral-eu",
            ["Governance:Targets:Known:1:Region"] = "eu",
            ["Governance:Targets:Known:2:Id"] = "ollama-llama",
            ["Governance:Targets:Known:2:Local"] = "true",
            ["Governance:Targets:Known:2:Region"] = "local",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Factory = new ServiceFactory<GovernanceOptions>(settings);
        Admin = Factory.CreateClient();
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        _channel = GrpcChannel.ForAddress(Factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Factory.Server.CreateHandler() });
        Governance = new GovernanceService.GovernanceServiceClient(_channel);
        AdminGrpc = new GovernanceAdminService.GovernanceAdminServiceClient(_channel);
    }

    public string DataPath { get; }

    public ServiceFactory<GovernanceOptions> Factory { get; }

    /// <summary>HTTP client carrying the admin key.</summary>
    public HttpClient Admin { get; }

    public GovernanceService.GovernanceServiceClient Governance { get; }

    public GovernanceAdminService.GovernanceAdminServiceClient AdminGrpc { get; }

    public static Metadata AdminHeaders => new() { { "authorization", $"Bearer {AdminKey}" } };

    public HttpClient Anonymous() => Factory.CreateClient();

    public async Task CreateTenantAsync(string id)
    {
        var response = await Admin.PostAsync(new Uri("/admin/tenants", UriKind.Relative), Json(new { id, name = $"Tenant {id}" }), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<(string KeyId, string Key)> IssueKeyAsync(string tenant)
    {
        var response = await Admin.PostAsync(new Uri($"/admin/tenants/{tenant}/keys", UriKind.Relative), Json(new { name = "ci" }), TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await ReadAsync(response);
        return (body.GetProperty("key_id").GetString()!, body.GetProperty("key").GetString()!);
    }

    public async Task<HttpResponseMessage> PutPolicyAsync(string tenant, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/admin/tenants/{tenant}/policy", UriKind.Relative))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        return await Admin.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken));

    public void Dispose()
    {
        _channel.Dispose();
        Admin.Dispose();
        Factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsData && Directory.Exists(DataPath))
        {
            Directory.Delete(DataPath, recursive: true);
        }
    }
}
