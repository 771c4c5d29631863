using System.Text.Json;
using HybridAI.Contracts.Common.V1;
using HybridAI.Testing.Upstreams;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Each provider through its real wire format: unary, streamed, tools and JSON format passed through.</summary>
public sealed class ProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAICompatibleServerAnswersUnaryWithUsageAndCost()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.WithText("Hello there.").WithUsage(prompt: 1000, completion: 100, cached: 400).WithModel("gpt-4o-mini-2024-07-18"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "local", upstream));

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("local"), cancellationToken: Ct);

        Assert.Equal("local", response.Model);
        Assert.Equal("gpt-4o-mini-2024-07-18", response.UpstreamModel);
        Assert.Equal("Hello there.", response.Message.Content);
        Assert.Equal("assistant", response.Message.Role);
        Assert.Equal("stop", response.FinishReason);
        Assert.Equal(new TokenUsage { PromptTokens = 1000, CachedPromptTokens = 400, CompletionTokens = 100 }, response.Usage);
        // 600 × $2.50 + 400 × $1.25 + 100 × $10 per million tokens = $0.0030
        Assert.Equal(3000, response.CostMicros);
        var attempt = Assert.Single(response.Attempts);
        Assert.Equal("ok", attempt.Outcome);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("/v1/chat/completions", seen.Path);
        Assert.Equal("gpt-4o-mini", seen.Model);
        Assert.Null(seen.Header("Authorization"));
        Assert.Contains("Say hello.", seen.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAIStreamRequestsUsageAndEndsWithDone()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.Chunked("Hel", "lo ", "world").WithUsage(12, 3));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "gpt", upstream, "openai", apiKey: "test-key-openai-0001"));

        var (text, _, done) = await proxy.StreamAsync(ProxyHost.Request("gpt"), Ct);

        Assert.Equal("Hello world", text);
        Assert.NotNull(done);
        Assert.Equal("gpt", done.Model);
        Assert.Equal("stop", done.FinishReason);
        Assert.Equal(new TokenUsage { PromptTokens = 12, CompletionTokens = 3 }, done.Usage);
        var seen = Assert.Single(upstream.Requests);
        Assert.True(seen.Stream);
        Assert.True(seen.IncludeUsage, "the proxy must ask for usage in streams (stream_options.include_usage)");
        Assert.Equal("Bearer test-key-openai-0001", seen.Header("Authorization"));
    }

    [Fact]
    public async Task AzureOpenAIUsesTheV1ApiWithTheApiKeyHeader()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        var settings = ProxyHost.Model(0, "azure", upstream, "azure-openai", upstreamModel: "my-deployment", apiKey: "azure-key-0001");
        settings["LlmProxy:Models:0:Endpoint"] = upstream.Root.ToString();
        await using var proxy = ProxyHost.Start(settings);

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("azure"), cancellationToken: Ct);

        Assert.Equal("Hello from the upstream.", response.Message.Content);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("/openai/v1/chat/completions", seen.Path);
        Assert.Equal("my-deployment", seen.Model);
        Assert.Equal("azure-key-0001", seen.Header("api-key"));
        Assert.Null(seen.Header("Authorization"));
    }

    [Fact]
    public async Task AnthropicMessagesApiAnswersUnaryWithCachedTokensCounted()
    {
        await using var upstream = await AnthropicUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.WithText("Bonjour.").WithUsage(prompt: 2000, completion: 50, cached: 1500).WithModel("claude-test-1"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "claude", upstream, "anthropic", upstreamModel: "claude-test", apiKey: "anthropic-key-0001"));

        var response = await proxy.Client.CompleteAsync(ProxyHost.Request("claude"), cancellationToken: Ct);

        Assert.Equal("Bonjour.", response.Message.Content);
        Assert.Equal("claude-test-1", response.UpstreamModel);
        Assert.Equal("stop", response.FinishReason);
        Assert.Equal(new TokenUsage { PromptTokens = 2000, CachedPromptTokens = 1500, CompletionTokens = 50 }, response.Usage);
        var seen = Assert.Single(upstream.Requests);
        Assert.Equal("/v1/messages", seen.Path);
        // The official SDK sends the key as a bearer token (older versions used x-api-key); either way it is the configured key.
        Assert.Contains("anthropic-key-0001", seen.Header("Authorization") ?? seen.Header("x-api-key"), StringComparison.Ordinal);
        Assert.NotNull(seen.Header("anthropic-version"));
        Assert.Equal(4096, seen.Json.GetProperty("max_tokens").GetInt32());
        Assert.Contains("You are terse.", seen.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicStreamFollowsTheEventSequence()
    {
        await using var upstream = await AnthropicUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.Chunked("One ", "two ", "three.").WithUsage(40, 6));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "claude", upstream, "anthropic", upstreamModel: "claude-test", apiKey: "anthropic-key-0001"));

        var (text, _, done) = await proxy.StreamAsync(ProxyHost.Request("claude"), Ct);

        Assert.Equal("One two three.", text);
        Assert.NotNull(done);
        Assert.Equal(40, done.Usage.PromptTokens);
        Assert.Equal(6, done.Usage.CompletionTokens);
        Assert.False(done.Usage.Estimated);
        Assert.True(Assert.Single(upstream.Requests).Stream);
    }

    [Theory]
    [InlineData("openai-compatible", false)]
    [InlineData("openai-compatible", true)]
    [InlineData("anthropic", false)]
    [InlineData("anthropic", true)]
    public async Task ToolDefinitionsAndCallsPassThrough(string provider, bool stream)
    {
        await using LlmUpstream upstream = provider == "anthropic" ? await AnthropicUpstream.StartAsync(Ct) : await OpenAIUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.ToolCall("get_weather", """{"city":"Paris","unit":"c"}""", id: "call_42"));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "m", upstream, provider, apiKey: "tool-test-key-0001"));
        var request = ProxyHost.Request("m");
        request.Tools.Add(new ToolDefinition
        {
            Name = "get_weather",
            Description = "Current weather for a city.",
            ParametersJsonSchema = """{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string"}},"required":["city"]}""",
        });
        request.ToolChoice = "required";

        string name, arguments, id, finish;
        if (stream)
        {
            var (_, calls, done) = await proxy.StreamAsync(request, Ct);
            var call = Assert.Single(calls);
            (name, arguments, id, finish) = (call.Name, call.ArgumentsFragment, call.Id, done!.FinishReason);
        }
        else
        {
            var response = await proxy.Client.CompleteAsync(request, cancellationToken: Ct);
            var call = Assert.Single(response.Message.ToolCalls);
            (name, arguments, id, finish) = (call.Name, call.ArgumentsJson, call.Id, response.FinishReason);
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("call_42", id);
        Assert.Equal("tool_calls", finish);
        using (var args = JsonDocument.Parse(arguments))
        {
            Assert.Equal("Paris", args.RootElement.GetProperty("city").GetString());
        }

        var sent = Assert.Single(upstream.Requests);
        Assert.Contains("get_weather", sent.Body, StringComparison.Ordinal);
        Assert.Contains("Current weather for a city.", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolResultsInTheConversationReachTheUpstream()
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "m", upstream));
        var request = ProxyHost.Request("m");
        request.Tools.Add(new ToolDefinition { Name = "get_weather", ParametersJsonSchema = """{"type":"object","properties":{"city":{"type":"string"}}}""" });
        request.Messages.Add(new ChatMessage { Role = "assistant", ToolCalls = { new ToolCall { Id = "call_1", Name = "get_weather", ArgumentsJson = """{"city":"Oslo"}""" } } });
        request.Messages.Add(new ChatMessage { Role = "tool", ToolCallId = "call_1", Content = "-3 C and snowing" });

        await proxy.Client.CompleteAsync(request, cancellationToken: Ct);

        var messages = Assert.Single(upstream.Requests).Json.GetProperty("messages");
        var assistant = messages[2];
        Assert.Equal("call_1", assistant.GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("Oslo", JsonDocument.Parse(assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!).RootElement.GetProperty("city").GetString());
        Assert.Equal("tool", messages[3].GetProperty("role").GetString());
        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Contains("-3 C and snowing", messages[3].GetProperty("content").ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"json_object"}""", "json_object")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"a":{"type":"string"}}}}}""", "json_schema")]
    public async Task JsonResponseFormatPassesThrough(string format, string expectedType)
    {
        await using var upstream = await OpenAIUpstream.StartAsync(Ct);
        upstream.Enqueue(UpstreamReply.WithText("""{"a":"b"}"""));
        await using var proxy = ProxyHost.Start(ProxyHost.Model(0, "m", upstream));
        var request = ProxyHost.Request("m");
        request.ResponseFormatJson = format;
        request.MaxTokens = 64;
        request.Temperature = 0.2;
        request.Seed = 7;
        request.Stop.Add("END");

        var response = await proxy.Client.CompleteAsync(request, cancellationToken: Ct);

        Assert.Equal("""{"a":"b"}""", response.Message.Content);
        var sent = Assert.Single(upstream.Requests).Json;
        Assert.Equal(expectedType, sent.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(64, sent.TryGetProperty("max_completion_tokens", out var mct) ? mct.GetInt32() : sent.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.2, sent.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(7, sent.GetProperty("seed").GetInt32());
        Assert.Equal("END", sent.GetProperty("stop")[0].GetString());
    }
}
