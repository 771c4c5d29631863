using System.Net;
using System.Text;
using HybridAI.Testing.Guard;
using HybridAI.Testing.Upstreams;
using ModelContextProtocol;
using static HybridAI.Edge.Tests.EndToEnd.McpConnections;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>The MCP endpoint's door and failures: the API key, tenant isolation, bad arguments, policy refusals and cancellation.</summary>
[Collection(StackCollection.Name)]
public sealed class McpAccessTests(StackFixture stack)
{
    private const string Initialize =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"probe","version":"1.0"}}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutAnApiKeyTheEdgeAnswers401AndTheClientCannotConnect()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint(stack)) { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request, Ct);
        var connecting = await Record.ExceptionAsync(async () => await (await ConnectAsync(stack, "hai_not-a-key-of-this-system-000000000000", Ct)).DisposeAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("missing_api_key", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotNull(connecting);
    }

    [Fact]
    public async Task AClientOfAnOlderRevisionInitializesWithoutASession()
    {
        using var http = stack.DevClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/mcp", UriKind.Relative)) { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");

        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"protocolVersion\":\"2025-06-18\"", body, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"hybridai\"", body, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Mcp-Session-Id"));
    }

    [Fact]
    public async Task TheEdgeForwardsEveryStreamableHttpMethodToTheStatelessServer()
    {
        using var http = stack.DevClient();
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri("/mcp", UriKind.Relative));
        get.Headers.Accept.ParseAdd("text/event-stream");
        using var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri("/mcp", UriKind.Relative));

        using var stream = await http.SendAsync(get, Ct);
        using var end = await http.SendAsync(delete, Ct);
        using var put = await http.PutAsync(new Uri("/mcp", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        // Stateless: no standalone stream and no session to end, so the router itself answers 405; PUT never leaves the edge.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, stream.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, end.StatusCode);
        Assert.True(stream.Headers.Contains("x-request-id"));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task ATenantCannotSearchOrMatchAnotherTenantsCollections()
    {
        await using var rival = await ConnectAsync(stack, await RivalKeyAsync(stack, Ct), Ct);

        var search = await rival.CallAsync("search_collection", new { collection = "docs", query = "How many days do I have to return an item?" }, Ct);
        var named = await rival.CallAsync("match_faq", new { query = "When are your stores open?", collection = "faq" }, Ct);
        var defaults = await rival.CallAsync("match_faq", new { query = "When are your stores open?" }, Ct);

        Assert.True(search.IsError);
        Assert.Equal("collection_not_found", Structured(search).GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("'docs' does not exist for this tenant", Text(search), StringComparison.Ordinal);
        Assert.True(named.IsError);
        Assert.DoesNotContain("Monday", Text(named), StringComparison.Ordinal);
        Assert.False(Structured(defaults).GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task BadArgumentsAreToolErrorsThatNameEveryProblem()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);

        var search = await client.CallAsync("search_collection", new { collection = "docs", top_k = 0, mode = "fuzzy", colour = "blue" }, Ct);
        var classify = await client.CallAsync("classify", new { text = "Where is my parcel?", head = "no-such-head" }, Ct);
        var unknownTool = await Record.ExceptionAsync(() => client.CallAsync("delete_everything", new { }, Ct));

        Assert.True(search.IsError);
        var message = Text(search);
        Assert.Contains("query: is required.", message, StringComparison.Ordinal);
        Assert.Contains("top_k: must be an integer from 1 to 50, not 0.", message, StringComparison.Ordinal);
        Assert.Contains("mode: must be one of hybrid, vector, keyword, not 'fuzzy'.", message, StringComparison.Ordinal);
        Assert.Contains("colour: is not an argument of this tool", message, StringComparison.Ordinal);
        Assert.Equal("invalid_arguments", Structured(search).GetProperty("error").GetProperty("code").GetString());
        Assert.True(classify.IsError);
        Assert.Contains("no-such-head", Text(classify), StringComparison.Ordinal);
        Assert.Equal("head_not_found", Structured(classify).GetProperty("error").GetProperty("code").GetString());
        Assert.IsType<McpProtocolException>(unknownTool);
    }

    [Fact]
    public async Task APolicyRefusalIsAToolErrorCarryingTheDecision()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);
        var before = stack.Upstream.RequestCount;

        var result = await client.CallAsync("ask", new { prompt = GuardProbes.HeldOutInjections[0] }, Ct);

        Assert.True(result.IsError);
        var failure = Structured(result);
        Assert.Equal("policy_violation", failure.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("prompt_injection", failure.GetProperty("error").GetProperty("code").GetString());
        Assert.StartsWith("prompt_injection: ", Text(result), StringComparison.Ordinal);
        Assert.Equal("blocked", failure.GetProperty("hybridai").GetProperty("route").GetString());
        Assert.Equal(before, stack.Upstream.RequestCount);
    }

    [Fact]
    public async Task CancellingAnAskCancelsTheRoutedRequestUpstream()
    {
        var requestId = $"mcp-cancel-{Guid.NewGuid():N}";
        stack.Upstream.Respond(new UpstreamReply { Text = "too late", FirstTokenDelay = TimeSpan.FromSeconds(30) });
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct, requestId);
        var before = stack.Upstream.RequestCount;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        try
        {
            var asking = client.CallAsync("ask", new { prompt = "Write a long essay about the history of container shipping.", model = "hybrid-llm" }, cancel.Token);
            await stack.Upstream.WaitForRequestsAsync(before + 1, TimeSpan.FromSeconds(15), Ct);
            var started = DateTime.UtcNow;
            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
            var receipt = await ReceiptAsync(stack, "dev", requestId, Ct);
            Assert.Equal("cancelled", receipt.GetProperty("outcome").GetString());
            var upstreamCall = stack.Upstream.Requests[^1];
            for (var i = 0; i < 50 && !upstreamCall.Aborted; i++)
            {
                await Task.Delay(100, Ct);
            }

            Assert.True(upstreamCall.Aborted, "the upstream call was not aborted");
        }
        finally
        {
            stack.Upstream.Respond(UpstreamReply.Default);
        }
    }
}
