using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using HybridAI.Testing.Mcp;
using OpenAI;
using OpenAI.Chat;

[assembly: AssemblyFixture(typeof(HybridAI.Router.Tests.Suite.ToolWorld))]

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// The tool-calling tests' world inside the suite: the order-status MCP server registered for three tenants through
/// governance's admin API — <see cref="Shop"/> (default policy: PII redacted), <see cref="Vault"/> (PII kept local, so
/// PII in tool results is withheld) and <see cref="Down"/> (whose server is stopped after registration); <see cref="Shop"/>
/// also has the stdio stock-level program (<see cref="StdioMcpProgram"/>). Set up once, on first use.
/// </summary>
public sealed class ToolWorld : IAsyncDisposable
{
    public const string Shop = "shop";
    public const string Vault = "shop-vault";
    public const string Down = "shop-down";

    /// <summary>Every tool but <c>delete_order</c>, which stays registered and forbidden.</summary>
    public static readonly string[] Allowed =
    [
        OrderStatusMcpServer.GetOrderStatus, OrderStatusMcpServer.GetShippingEta, OrderStatusMcpServer.GetCustomerContact,
        OrderStatusMcpServer.SlowInventoryCheck, OrderStatusMcpServer.FailingRefund, OrderStatusMcpServer.ExportOrderHistory,
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _ready;

    public OrderStatusMcpServer Orders { get; private set; } = null!;

    public async Task EnsureAsync(HybridSuite suite)
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_ready)
            {
                return;
            }

            Orders = await OrderStatusMcpServer.StartAsync(new OrderStatusServerOptions { SlowDelay = TimeSpan.FromSeconds(30), HugeResultChars = 64 * 1024 });
            await using var doomed = await OrderStatusMcpServer.StartAsync();
            using var admin = suite.AdminClient();
            await CreateAsync(admin, Shop, policy: null, Orders);
            await CreateAsync(admin, Vault, policy: new { pii_mode = "PII_MODE_LOCAL_ONLY" }, Orders);
            await CreateAsync(admin, Down, policy: null, doomed);
            using var stock = await admin.PutAsJsonAsync($"/admin/tenants/{Shop}/tool-servers/stock", new
            {
                transport = "TOOL_TRANSPORT_STDIO",
                command = StdioMcpProgram.Path,
                allowed_tools = new[] { "*" },
            }, TestContext.Current.CancellationToken);
            Assert.True(stock.IsSuccessStatusCode, await stock.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            _ready = true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Orders is not null)
        {
            await Orders.DisposeAsync();
        }

        _gate.Dispose();
    }

    /// <summary>The OpenAI SDK's chat client for the router, through <paramref name="http"/> (a client acting as the edge for one tenant).</summary>
    public static ChatClient Chat(HttpClient http, string model = "hybrid-llm") => new OpenAIClient(new ApiKeyCredential("unused-behind-the-edge"), new OpenAIClientOptions
    {
        Endpoint = new Uri(http.BaseAddress!, "v1/"),
        Transport = new HttpClientPipelineTransport(http),
        RetryPolicy = new ClientRetryPolicy(0),
    }).GetChatClient(model);

    /// <summary>Options asking HybridAI to run the tool loop (<c>"hybridai": {"tools": "auto"}</c>).</summary>
    public static ChatCompletionOptions Auto()
    {
        var options = new ChatCompletionOptions();
#pragma warning disable SCME0001 // JsonPatch is how the SDK sends extension fields such as "hybridai".
        options.Patch.Set("$.hybridai.tools"u8, "auto");
#pragma warning restore SCME0001
        return options;
    }

    public static string RequestId(ClientResult result) =>
        result.GetRawResponse().Headers.TryGetValue("x-request-id", out var id) ? id! : throw new InvalidOperationException("no x-request-id");

    /// <summary>The receipt of <paramref name="requestId"/> as governance's ledger export returns it (waits up to 30 s for the outbox).</summary>
    public static async Task<JsonElement> ReceiptAsync(HybridSuite suite, string tenant, string requestId)
    {
        using var admin = suite.AdminClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var export = await admin.GetStringAsync(new Uri($"/admin/ledger/export?tenant={tenant}", UriKind.Relative), TestContext.Current.CancellationToken);
            foreach (var line in export.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var record = JsonDocument.Parse(line).RootElement;
                if (record.GetProperty("kind").GetString() == "receipt"
                    && record.GetProperty("record").GetProperty("context").GetProperty("request_id").GetString() == requestId)
                {
                    return record.GetProperty("record").Clone();
                }
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Fail($"the receipt of {requestId} did not reach the ledger in 30 s");
        return default;
    }

    /// <summary>The receipt's steps of kind tool or slm, in order: (kind, name, outcome, detail).</summary>
    public static List<(string Kind, string Name, string Outcome, string Detail)> ToolSteps(JsonElement receipt) =>
        [.. receipt.GetProperty("steps").EnumerateArray()
            .Select(s => (Kind: s.GetProperty("kind").GetString()!, Name: s.GetProperty("name").GetString()!, Outcome: s.GetProperty("outcome").GetString()!,
                Detail: s.TryGetProperty("detail", out var d) ? d.GetString()! : ""))
            .Where(s => s.Kind is "tool" || s.Name.StartsWith("hybridai_", StringComparison.Ordinal))];

    private static async Task CreateAsync(HttpClient admin, string tenant, object? policy, OrderStatusMcpServer server)
    {
        var ct = TestContext.Current.CancellationToken;
        using (var created = await admin.PostAsJsonAsync("/admin/tenants", new { id = tenant, name = tenant }, ct))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        }

        if (policy is not null)
        {
            using var put = await admin.PutAsJsonAsync($"/admin/tenants/{tenant}/policy", policy, ct);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(ct));
        }

        using var registered = await admin.PutAsJsonAsync($"/admin/tenants/{tenant}/tool-servers/orders", new
        {
            transport = "TOOL_TRANSPORT_STREAMABLE_HTTP",
            url = server.Endpoint.ToString(),
            allowed_tools = Allowed,
            call_timeout_ms = 1500,
        }, ct);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(ct));
    }
}
