using System.Net;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// The router's <c>/mcp</c> endpoint called as the edge calls it (tenant stamped): the tenant is required as on every
/// router endpoint, and the pipeline's refusals (an exhausted budget) reach the MCP client as tool errors.
/// </summary>
public sealed class McpServerTests(HybridSuite suite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutTheEdgesTenantHeaderTheRouterRefusesMcpRequests()
    {
        using var http = new HttpClient { BaseAddress = suite.Router.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/mcp", UriKind.Relative))
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal("missing_tenant", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AnAskThatDoesNotFitTheBudgetIsAToolErrorAndNoUpstreamIsCalled()
    {
        var marker = Routed.Marker();
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(suite.Router.HttpAddress, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["x-hybridai-tenant"] = HybridSuite.ThriftyTenant },
        }), cancellationToken: Ct);

        var result = await client.CallToolAsync("ask", new Dictionary<string, object?>
        {
            ["prompt"] = $"{marker} Write a detailed 2,000-word essay on the history of the printing press.",
        }, cancellationToken: Ct);

        Assert.True(result.IsError);
        var error = result.StructuredContent!.Value.GetProperty("error");
        Assert.Equal("budget_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("insufficient_quota", error.GetProperty("type").GetString());
        Assert.StartsWith("budget_exceeded: ", Assert.Single(result.Content.OfType<TextContentBlock>()).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(suite.Primary.Requests.Concat(suite.Backup.Requests), r => r.Body.Contains(marker, StringComparison.Ordinal));
    }
}
