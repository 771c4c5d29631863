using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HybridAI.Testing.Mcp;
using OpenAI.Chat;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Bad input in the server-side tool loop: malformed and schema-violating arguments, unknown tools, oversized results,
/// failing, hanging and unreachable servers, and a model that never stops calling tools. Each becomes a clear error the
/// model reads; the request completes, in bounded time, with one receipt step per call.
/// </summary>
public sealed class ToolFailureTests(HybridSuite suite, ToolWorld world) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await world.EnsureAsync(suite);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task TurnsEveryKindOfToolFailureIntoAnErrorTheModelReads()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        var started = Stopwatch.GetTimestamp();

        var result = await ToolWorld.Chat(http).CompleteChatAsync([new UserChatMessage($"{marker} Check everything. [tools: " +
            "get_order_status {\"order_id\": A-1} | get_order_status {\"order_id\":\"12\"} | cancel_order {\"order_id\":\"A-1\"} | " +
            "export_order_history {\"order_id\":\"A-1\"} | failing_refund {\"order_id\":\"A-1\"} | slow_inventory_check {\"sku\":\"X-1\"}]")],
            ToolWorld.Auto(), Ct);

        var answer = result.Value.Content[0].Text;
        // Arguments that are not JSON reach the router with llm-proxy's reason; the ones that are JSON fail on the schema.
        Assert.Equal(1, answer.Split("The arguments are not valid JSON (").Length - 1);
        Assert.Equal(1, answer.Split("The arguments do not match the tool's schema: ").Length - 1);
        Assert.Contains("The arguments do not match the tool's schema: /order_id", answer, StringComparison.Ordinal);
        Assert.Contains("There is no tool named 'cancel_order'", answer, StringComparison.Ordinal);
        Assert.Contains("more than the 16384 allowed", answer, StringComparison.Ordinal);
        Assert.Contains("The tool did not answer within 1.5 s.", answer, StringComparison.Ordinal);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(15));
        var outcomes = ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result))).Select(s => s.Outcome).ToList();
        Assert.Equal(6, outcomes.Count);
        Assert.Equal(["invalid_arguments", "invalid_arguments", "unknown_tool", "too_large"], outcomes[..4]);
        Assert.Contains(outcomes[4], new[] { "tool_error", "error" });
        Assert.Equal("timeout", outcomes[5]);
        Assert.DoesNotContain(world.Orders.Calls, c => c.ArgumentsJson.Contains("\"12\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReportsAServerThatIsGone()
    {
        using var http = suite.RouterClient(ToolWorld.Down);
        var marker = Routed.Marker();

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Status of A-5005? [tools: get_order_status {{\"order_id\":\"A-5005\"}}]")], ToolWorld.Auto(), Ct);

        Assert.Contains("The tool failed: Tool server 'orders' could not be reached", result.Value.Content[0].Text, StringComparison.Ordinal);
        var step = Assert.Single(ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Down, ToolWorld.RequestId(result))));
        Assert.Equal("error", step.Outcome);
    }

    [Fact]
    public async Task StopsAModelThatNeverStopsCallingTools()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        var script = string.Join(" | ", Enumerable.Range(1, 9).Select(i => $"get_shipping_eta {{\"order_id\":\"A-{i}\"}}"));

        var result = await ToolWorld.Chat(http).CompleteChatAsync([new UserChatMessage($"{marker} Loop. [tools: {script}]")], ToolWorld.Auto(), Ct);

        var turns = suite.Primary.Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(7, turns.Count);
        Assert.Equal("none", turns[^1].Json.GetProperty("tool_choice").GetString());
        var receipt = await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result));
        Assert.Equal(6, ToolWorld.ToolSteps(receipt).Count);
        Assert.Contains(receipt.GetProperty("decision").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("tool loop:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusesAnUnknownToolMode()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);

        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "hybrid-llm",
            messages = new[] { new { role = "user", content = "Hello there, how are you?" } },
            hybridai = new { tools = "everything" },
        }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("hybridai.tools", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesARequestToolNamedLikeARegisteredOne()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var options = ToolWorld.Auto();
        options.Tools.Add(ChatTool.CreateFunctionTool(OrderStatusMcpServer.GetOrderStatus, "Shadowing the tenant's tool.",
            BinaryData.FromString("""{"type":"object","properties":{}}""")));

        var e = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            ToolWorld.Chat(http).CompleteChatAsync([new UserChatMessage("What is the status of order A-1?")], options, Ct));

        Assert.Equal(400, e.Status);
        Assert.Contains("also the name of one of the tenant's registered or built-in tools", e.Message, StringComparison.Ordinal);
    }
}
