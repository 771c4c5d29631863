using System.Text.Json;
using HybridAI.Testing.Upstreams;
using static HybridAI.Edge.Tests.EndToEnd.McpConnections;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>HybridAI as an MCP server: the official MCP client, given the edge's <c>/mcp</c> URL and the dev key, uses every tool.</summary>
[Collection(StackCollection.Name)]
public sealed class McpToolTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheServerListsItsSixToolsWithPreciseInputSchemas()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);

        var tools = await client.ListToolsAsync(cancellationToken: Ct);

        Assert.Equal(["ask", "classify", "extract", "match_faq", "route_explain", "search_collection"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal("hybridai", client.ServerInfo?.Name);
        foreach (var tool in tools)
        {
            var schema = tool.JsonSchema;
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            Assert.Equal("object", schema.GetProperty("type").GetString());
            Assert.False(schema.GetProperty("additionalProperties").GetBoolean(), tool.Name);
            Assert.NotEqual(0, schema.GetProperty("required").GetArrayLength());
            foreach (var property in schema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(property.Value.TryGetProperty("description", out _), $"{tool.Name}.{property.Name} has no description");
            }
        }

        var search = tools.Single(t => t.Name == "search_collection").JsonSchema;
        Assert.Equal(["collection", "query"], search.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(50, search.GetProperty("properties").GetProperty("top_k").GetProperty("maximum").GetInt32());
        Assert.True(tools.Single(t => t.Name == "extract").ProtocolTool.Annotations!.ReadOnlyHint);
        Assert.False(tools.Single(t => t.Name == "ask").ProtocolTool.Annotations!.ReadOnlyHint);
        var output = tools.Single(t => t.Name == "ask").ProtocolTool.OutputSchema!.Value;
        Assert.Equal(["answer", "finish_reason", "model", "usage", "hybridai"], output.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Object, output.GetProperty("properties").GetProperty("hybridai").GetProperty("properties").ValueKind);
        Assert.All(tools, t => Assert.NotNull(t.ProtocolTool.OutputSchema));
    }

    [Fact]
    public async Task RouteExplainShowsTheSignalsAndTheDecisionWithoutCallingAModel()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);
        var before = stack.Upstream.RequestCount;

        var result = await client.CallAsync("route_explain", new { prompt = "Compare three database replication strategies for a multi-region deployment in detail.", model = "hybrid-llm" }, Ct);

        Assert.NotEqual(true, result.IsError);
        var explained = Structured(result);
        var signals = explained.GetProperty("signals");
        var decision = explained.GetProperty("decision");
        Assert.True(signals.GetProperty("prompt_tokens").GetInt32() > 5);
        Assert.False(string.IsNullOrEmpty(signals.GetProperty("intent").GetString()));
        Assert.InRange(signals.GetProperty("needs_llm_probability").GetDouble(), 0, 1);
        Assert.Equal("public", signals.GetProperty("data_class").GetString());
        Assert.Equal("llm", decision.GetProperty("route").GetString());
        Assert.False(string.IsNullOrEmpty(decision.GetProperty("rule").GetString()));
        Assert.NotEqual(0, decision.GetProperty("reasons").GetArrayLength());
        Assert.Contains("default", decision.GetProperty("targets").EnumerateArray().Select(t => t.GetString()));
        Assert.True(explained.GetProperty("reserve_cost_usd").GetDecimal() >= 0);
        Assert.Equal(before, stack.Upstream.RequestCount);
    }

    [Fact]
    public async Task SearchCollectionFindsTheSampleKnowledgeBasesDocuments()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);

        var result = await client.CallAsync("search_collection", new { collection = "docs", query = "How many days do I have to return an item for a refund?", top_k = 3 }, Ct);

        Assert.NotEqual(true, result.IsError);
        var found = Structured(result);
        var hits = found.GetProperty("results").EnumerateArray().ToList();
        Assert.InRange(hits.Count, 1, 3);
        Assert.Equal("returns-policy", hits[0].GetProperty("document_id").GetString());
        Assert.Contains("return", hits[0].GetProperty("text").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.True(hits[0].GetProperty("score").GetDouble() > 0);
        Assert.Equal("docs", found.GetProperty("collection").GetString());
    }

    [Fact]
    public async Task MatchFaqFindsTheSampleFaqPairAndSaysWhetherRoutingWouldAnswerFromIt()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);

        var result = await client.CallAsync("match_faq", new { query = "What are your opening hours?" }, Ct);

        var matched = Structured(result);
        Assert.True(matched.GetProperty("matched").GetBoolean(), Text(result));
        var match = matched.GetProperty("match");
        Assert.Equal("opening-hours", match.GetProperty("id").GetString());
        Assert.Equal("faq", match.GetProperty("collection").GetString());
        Assert.Contains("Monday to Saturday", match.GetProperty("answer").GetString()!, StringComparison.Ordinal);
        Assert.Equal(match.GetProperty("score").GetDouble() >= matched.GetProperty("answer_threshold").GetDouble(),
            matched.GetProperty("above_answer_threshold").GetBoolean());
    }

    [Fact]
    public async Task ClassifyRunsALocalHeadAndExtractFindsAndRedactsPii()
    {
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct);

        var classified = Structured(await client.CallAsync("classify", new { text = "I would like to return the lamp I bought last week.", head = "intent" }, Ct));
        var extracted = Structured(await client.CallAsync("extract", new { text = "Write to jane.doe@example.com about the refund.", redact = true }, Ct));

        Assert.Equal("intent", classified.GetProperty("head").GetString());
        Assert.False(string.IsNullOrEmpty(classified.GetProperty("label").GetString()));
        Assert.InRange(classified.GetProperty("confidence").GetDouble(), 0, 1);
        Assert.True(classified.GetProperty("scores").GetArrayLength() > 1);
        var finding = Assert.Single(extracted.GetProperty("findings").EnumerateArray());
        Assert.Equal("EMAIL", finding.GetProperty("type").GetString());
        Assert.Equal(9, finding.GetProperty("start").GetInt32());
        var redacted = extracted.GetProperty("redacted_text").GetString()!;
        Assert.DoesNotContain("jane.doe@example.com", redacted, StringComparison.Ordinal);
        Assert.Contains(finding.GetProperty("placeholder").GetString()!, redacted, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AskReturnsARoutedAnswerWhoseReceiptReachesTheLedger()
    {
        var requestId = $"mcp-ask-{Guid.NewGuid():N}";
        stack.Upstream.Respond(new UpstreamReply { Text = "Multi-region replication trades latency for consistency." });
        await using var client = await ConnectAsync(stack, StackFixture.DevKey, Ct, requestId);

        var result = await client.CallAsync("ask", new { prompt = "Summarise the trade-offs of multi-region database replication in one sentence.", model = "hybrid-llm", max_tokens = 200 }, Ct);

        Assert.NotEqual(true, result.IsError);
        var answer = Structured(result);
        var decision = answer.GetProperty("hybridai");
        Assert.Equal("Multi-region replication trades latency for consistency.", answer.GetProperty("answer").GetString());
        Assert.Equal("stop", answer.GetProperty("finish_reason").GetString());
        Assert.True(answer.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal("llm", decision.GetProperty("route").GetString());
        Assert.Equal(requestId, decision.GetProperty("request_id").GetString());
        Assert.Equal("default", decision.GetProperty("model").GetString());

        var receipt = await ReceiptAsync(stack, "dev", requestId, Ct);
        Assert.Equal("ok", receipt.GetProperty("outcome").GetString());
        Assert.Contains("llm", receipt.GetProperty("decision").GetRawText(), StringComparison.Ordinal);
    }
}
