using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>MCP clients of the edge's <c>/mcp</c> route (Streamable HTTP), and reading tool results.</summary>
internal static class McpConnections
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _rivalKey;

    public static Uri Endpoint(StackFixture stack) => new(stack.Edge.HttpAddress, "/mcp");

    /// <summary>A connected client; <paramref name="requestId"/> is sent as <c>x-request-id</c> on every request (the router keeps it).</summary>
    public static async Task<McpClient> ConnectAsync(StackFixture stack, string key, CancellationToken cancellationToken, string? requestId = null)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" };
        if (requestId is not null)
        {
            headers["x-request-id"] = requestId;
        }

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint(stack),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = headers,
            Name = "hybridai-edge",
        });
        return await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
    }

    public static Task<CallToolResult> CallAsync(this McpClient client, string tool, object arguments, CancellationToken cancellationToken) =>
        client.CallToolAsync(tool, JsonSerializer.SerializeToElement(arguments).Deserialize<Dictionary<string, object?>>(), cancellationToken: cancellationToken).AsTask();

    /// <summary>The structured content, after checking the text content carries the same JSON.</summary>
    public static JsonElement Structured(CallToolResult result)
    {
        var structured = result.StructuredContent ?? throw new Xunit.Sdk.XunitException($"No structured content: {Text(result)}");
        if (result.IsError != true)
        {
            Assert.True(JsonElement.DeepEquals(structured, JsonDocument.Parse(Text(result)).RootElement), "text and structured content differ");
        }

        return structured;
    }

    public static string Text(CallToolResult result) => Assert.Single(result.Content.OfType<TextContentBlock>()).Text;

    /// <summary>A second tenant with its own key, created through the admin API once per test process.</summary>
    public static async Task<string> RivalKeyAsync(StackFixture stack, CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_rivalKey is not null)
            {
                return _rivalKey;
            }

            using var admin = new HttpClient { BaseAddress = stack.Edge.HttpAddress };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StackFixture.AdminKey);
            using (var created = await admin.PostAsJsonAsync(new Uri("/admin/tenants", UriKind.Relative), new { id = "mcp-rival", name = "MCP Rival" }, cancellationToken))
            {
                Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(cancellationToken));
            }

            using var issued = await admin.PostAsync(new Uri("/admin/tenants/mcp-rival/keys", UriKind.Relative), null, cancellationToken);
            var body = await issued.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return _rivalKey = body.GetProperty("key").GetString()!;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>The ledger's receipt for a request id (governance's admin export), waiting for the router's outbox (bounded).</summary>
    public static async Task<JsonElement> ReceiptAsync(StackFixture stack, string tenant, string requestId, CancellationToken cancellationToken)
    {
        using var admin = new HttpClient { BaseAddress = stack.Edge.HttpAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", StackFixture.AdminKey);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            var export = await admin.GetStringAsync(new Uri($"/admin/ledger/export?tenant={tenant}", UriKind.Relative), cancellationToken);
            foreach (var line in export.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var entry = JsonDocument.Parse(line).RootElement;
                if (entry.GetProperty("kind").GetString() == "receipt" && entry.GetProperty("record").GetRawText().Contains(requestId, StringComparison.Ordinal))
                {
                    return entry.GetProperty("record");
                }
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"No receipt for request {requestId} reached the ledger within 15 s.");
    }
}
