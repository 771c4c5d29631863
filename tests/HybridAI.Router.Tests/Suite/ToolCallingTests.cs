using System.Security.Cryptography;
using System.Text;
using HybridAI.Testing.Mcp;
using HybridAI.Testing.Upstreams;
using OpenAI.Chat;

namespace HybridAI.Router.Tests.Suite;

/// <summary>
/// Governed tool calling end to end with the OpenAI SDK: the router runs the tool loop against the order-status MCP
/// server while the in-test upstream's model calls tools as each prompt scripts it; what the upstream received and
/// the receipt in governance's ledger are checked.
/// </summary>
public sealed class ToolCallingTests(HybridSuite suite, ToolWorld world) : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await world.EnsureAsync(suite);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task CompletesARequestThatNeedsTwoToolCalls()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        const string StatusArgs = """{"order_id":"A-1001"}""";

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Where is order A-1001 and when will it arrive? [tools: get_order_status {StatusArgs} | get_shipping_eta {StatusArgs}]")],
            ToolWorld.Auto(), Ct);

        var answer = result.Value.Content[0].Text;
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.StartsWith(ToolScript.FinalPrefix, answer, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"shipped\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"eta\":\"2026-12-03\"", answer, StringComparison.Ordinal);
        var turns = suite.Primary.Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.Equal(3, turns.Count);
        Assert.Contains(turns[0].Json.GetProperty("tools").EnumerateArray(), t => t.GetProperty("function").GetProperty("name").GetString() == OrderStatusMcpServer.GetOrderStatus);
        Assert.DoesNotContain(turns[0].Json.GetProperty("tools").EnumerateArray(), t => t.GetProperty("function").GetProperty("name").GetString() == OrderStatusMcpServer.DeleteOrder);

        var receipt = await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result));
        var steps = ToolWorld.ToolSteps(receipt);
        Assert.Equal([("tool", OrderStatusMcpServer.GetOrderStatus, "ok"), ("tool", OrderStatusMcpServer.GetShippingEta, "ok")], steps.Select(s => (s.Kind, s.Name, s.Outcome)));
        // The detail starts with the arguments' hash; under the recall PII profile it may go on to name redacted types
        // (the tool's carrier name "ParcelCo" looks like a name to it).
        Assert.StartsWith("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StatusArgs))), steps[0].Detail, StringComparison.Ordinal);
        Assert.Equal(3, receipt.GetProperty("steps").EnumerateArray().Count(s => s.GetProperty("kind").GetString() == "llm"));
        Assert.Equal("ok", receipt.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task CallsAToolOfALocalProgramOverStdio()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} How many X-9 do we have? [tools: get_stock_level {{\"sku\":\"X-9\"}}]")], ToolWorld.Auto(), Ct);

        Assert.Contains("\"units\":42", result.Value.Content[0].Text, StringComparison.Ordinal);
        var step = Assert.Single(ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result))));
        Assert.Equal((StdioMcpProgram.Tool, "ok"), (step.Name, step.Outcome));
    }

    [Fact]
    public async Task RefusesAToolTheTenantDoesNotAllow()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        var callsBefore = world.Orders.Calls.Count(c => c.Tool == OrderStatusMcpServer.DeleteOrder);

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Remove order A-2002 for good. [tools: delete_order {{\"order_id\":\"A-2002\"}}]")], ToolWorld.Auto(), Ct);

        Assert.Contains("The tool 'delete_order' is not allowed for this tenant.", result.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(callsBefore, world.Orders.Calls.Count(c => c.Tool == OrderStatusMcpServer.DeleteOrder));
        var steps = ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result)));
        Assert.Equal(("tool", OrderStatusMcpServer.DeleteOrder, "forbidden"), Assert.Single(steps.Select(s => (s.Kind, s.Name, s.Outcome))));
    }

    [Fact]
    public async Task TellsTheModelItsArgumentsWereNotJsonAndRunsNothing()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();

        // The scripted model sends `{order_id: A-8008}` as the arguments: not JSON.
        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Where is order A-8008? [tools: get_order_status {{order_id: A-8008}}]")], ToolWorld.Auto(), Ct);

        var answer = result.Value.Content[0].Text;
        Assert.Contains("The arguments are not valid JSON (", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("schema", answer.Split("not valid JSON")[0], StringComparison.Ordinal);
        Assert.DoesNotContain(world.Orders.Calls, c => c.ArgumentsJson.Contains("A-8008", StringComparison.Ordinal));
        var step = Assert.Single(ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result))));
        Assert.Equal((OrderStatusMcpServer.GetOrderStatus, "invalid_arguments"), (step.Name, step.Outcome));
    }

    [Fact]
    public async Task RedactsPersonalDataInAToolResultBeforeTheUpstreamSeesIt()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Who placed order A-3003? [tools: get_customer_contact {{\"order_id\":\"A-3003\"}}]")], ToolWorld.Auto(), Ct);

        var final = suite.Primary.Requests.Last(r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(OrderStatusMcpServer.CustomerEmail, final.Body, StringComparison.Ordinal);
        Assert.Contains("<EMAIL_", final.AllText, StringComparison.Ordinal);
        Assert.Contains(OrderStatusMcpServer.CustomerEmail, result.Value.Content[0].Text, StringComparison.Ordinal);
        var receipt = await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result));
        Assert.Contains("EMAIL", receipt.GetProperty("redactions").EnumerateArray().Select(r => r.GetString()));
        var step = Assert.Single(ToolWorld.ToolSteps(receipt));
        Assert.Equal("ok", step.Outcome);
        Assert.Contains("redacted", step.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(OrderStatusMcpServer.CustomerEmail, receipt.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithholdsPersonalDataInAToolResultFromATenantThatKeepsItLocal()
    {
        using var http = suite.RouterClient(ToolWorld.Vault);
        var marker = Routed.Marker();

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Who placed order A-3004? [tools: get_customer_contact {{\"order_id\":\"A-3004\"}}]")], ToolWorld.Auto(), Ct);

        var final = suite.Primary.Requests.Last(r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(OrderStatusMcpServer.CustomerEmail, final.Body, StringComparison.Ordinal);
        Assert.Contains("it was withheld", result.Value.Content[0].Text, StringComparison.Ordinal);
        var step = Assert.Single(ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Vault, ToolWorld.RequestId(result))));
        Assert.Equal("withheld", step.Outcome);
    }

    [Fact]
    public async Task HandsExtractionAndClassificationToTheSlmTier()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} A customer wrote in, what is it about? [tools: hybridai_classify {{\"text\":\"I would like to return the shoes I bought last week\",\"head\":\"intent\"}} | hybridai_extract {{\"text\":\"My e-mail is sam.lee@example.org\"}}]")],
            ToolWorld.Auto(), Ct);

        var answer = result.Value.Content[0].Text;
        Assert.Contains("\"head\":\"intent\"", answer, StringComparison.Ordinal);
        Assert.Contains("\"label\":", answer, StringComparison.Ordinal);
        Assert.Contains("\"type\":\"EMAIL\"", answer, StringComparison.Ordinal);
        var steps = ToolWorld.ToolSteps(await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, ToolWorld.RequestId(result)));
        Assert.Equal([("slm", "hybridai_classify", "ok"), ("slm", "hybridai_extract", "ok")], steps.Select(s => (s.Kind, s.Name, s.Outcome)));
    }

    [Fact]
    public async Task PassesToolCallsBackToTheClientWithoutAuto()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        var options = new ChatCompletionOptions { Tools = { LookupWeather() } };

        var result = await ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{marker} Weather in Oslo? [tools: lookup_weather {{\"city\":\"Oslo\"}}]")], options, Ct);

        Assert.Equal(ChatFinishReason.ToolCalls, result.Value.FinishReason);
        var call = Assert.Single(result.Value.ToolCalls);
        Assert.Equal("lookup_weather", call.FunctionName);
        Assert.Equal("Oslo", System.Text.Json.JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("city").GetString());
        var sent = suite.Primary.Requests.Single(r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("lookup_weather", Assert.Single(sent.Json.GetProperty("tools").EnumerateArray()).GetProperty("function").GetProperty("name").GetString());
    }

    /// <summary>
    /// A call of the client's own tool is streamed back to the client, whether the router runs a tool loop or not
    /// (with <c>auto</c> it ends the loop, as OpenAI's API does).
    /// </summary>
    [Theory]
    [InlineData(false, "Bergen")]
    [InlineData(true, "Tromsø")]
    public async Task StreamsACallOfTheClientsOwnToolBackToTheClient(bool auto, string city)
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        var options = auto ? ToolWorld.Auto() : new ChatCompletionOptions();
        options.Tools.Add(LookupWeather());
        var arguments = new StringBuilder();
        string? name = null;
        ChatFinishReason? finish = null;

        await foreach (var update in ToolWorld.Chat(http).CompleteChatStreamingAsync(
            [new UserChatMessage($"{marker} Weather in {city}? [tools: lookup_weather {{\"city\":\"{city}\"}}]")], options, Ct))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("lookup_weather", name);
        Assert.Equal(city, System.Text.Json.JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("city").GetString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task StreamsTheAnswerOfTheServerSideLoop()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        var marker = Routed.Marker();
        var text = new StringBuilder();
        var textUpdates = 0;
        var toolCallUpdates = 0;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in ToolWorld.Chat(http).CompleteChatStreamingAsync(
            [new UserChatMessage($"{marker} Status of A-4004? [tools: get_order_status {{\"order_id\":\"A-4004\"}}]")], ToolWorld.Auto(), Ct))
        {
            id ??= update.CompletionId;
            textUpdates += update.ContentUpdate.Count(p => p.Text.Length > 0);
            toolCallUpdates += update.ToolCallUpdates.Count;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.StartsWith(ToolScript.FinalPrefix, text.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"order_id\":\"A-4004\"", text.ToString(), StringComparison.Ordinal);
        // The last turn is streamed as the upstream sends it (word by word: "Tool ", "results: ", the JSON), not sent as
        // one piece at the end; the router's own tool calls never reach the client.
        Assert.True(textUpdates >= 3, $"{textUpdates} content updates");
        Assert.Equal(0, toolCallUpdates);
        Assert.Equal(ChatFinishReason.Stop, finish);
        var turns = suite.Primary.Requests.Where(r => r.Body.Contains(marker, StringComparison.Ordinal)).ToList();
        Assert.All(turns, t => Assert.True(t.Json.GetProperty("stream").GetBoolean()));
        Assert.Equal(2, turns.Count);
        var receipt = await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, id!["chatcmpl-".Length..]);
        Assert.Equal(("tool", OrderStatusMcpServer.GetOrderStatus, "ok"), Assert.Single(ToolWorld.ToolSteps(receipt).Select(s => (s.Kind, s.Name, s.Outcome))));
        Assert.Equal(2, receipt.GetProperty("steps").EnumerateArray().Count(s => s.GetProperty("kind").GetString() == "llm"));
        Assert.Equal("ok", receipt.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task AStreamedLoopCutInItsLastTurnEndsWithAnErrorAndReceiptsEveryTurnsCost()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);
        // Turn 1 calls the tool (the script); turn 2, which has the tool's result, is cut after two words. Text has
        // reached the client by then, so llm-proxy does not fall back to the backup.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new
            {
                model = "hybrid-auto",
                stream = true,
                messages = new[] { new { role = "user", content = $"{Routed.Marker()} {HybridSuite.CutToolTurnMarker} Status of A-5005? [tools: get_order_status {{\"order_id\":\"A-5005\"}}]" } },
                hybridai = new { tools = "auto" },
            }), Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Contains("\"content\":\"one \"", body, StringComparison.Ordinal);
        Assert.Contains("\"error\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("get_order_status", body, StringComparison.Ordinal);
        // The first turn's cost (and the cut turn's, as llm-proxy accounted it) is on the receipt, not lost with the failure.
        await AssertFailedAfterOneToolCallAndChargedAsync(response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task ALoopWhoseLastTurnFailsStillReceiptsTheEarlierTurnsCost()
    {
        using var http = suite.RouterClient(ToolWorld.Shop);

        // Turn 1 calls the tool (the script); turn 2 is refused by both upstreams before any text.
        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => ToolWorld.Chat(http).CompleteChatAsync(
            [new UserChatMessage($"{Routed.Marker()} {HybridSuite.RefuseToolTurnMarker} Status of A-6006? [tools: get_order_status {{\"order_id\":\"A-6006\"}}]")],
            ToolWorld.Auto(), Ct));

        Assert.True(error.Status >= 400, error.Message);
        var requestId = error.GetRawResponse()!.Headers.TryGetValue("x-request-id", out var id) ? id! : throw new InvalidOperationException("no x-request-id");
        // The first turn was served and charged: its cost is on the receipt though the request failed afterwards.
        await AssertFailedAfterOneToolCallAndChargedAsync(requestId);
    }

    private async Task AssertFailedAfterOneToolCallAndChargedAsync(string requestId)
    {
        var receipt = await ToolWorld.ReceiptAsync(suite, ToolWorld.Shop, requestId);
        Assert.Equal(("tool", OrderStatusMcpServer.GetOrderStatus, "ok"), Assert.Single(ToolWorld.ToolSteps(receipt).Select(s => (s.Kind, s.Name, s.Outcome))));
        Assert.NotEqual("ok", receipt.GetProperty("outcome").GetString());
        var cost = long.Parse(receipt.GetProperty("decision").GetProperty("cost_micros").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(cost > 0, receipt.ToString());
    }

    private static ChatTool LookupWeather() => ChatTool.CreateFunctionTool("lookup_weather", "Current weather of a city.",
        BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
}
