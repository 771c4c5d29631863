using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Privacy;
using HybridAI.Router.Requests;
using HybridAI.Router.Tools;
using HybridAI.Tools.Schemas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tests.Tools;

/// <summary>The loop's bounds with a scripted model: a model that keeps calling tools is stopped, and its last calls never reach the client.</summary>
public sealed class ToolLoopTests
{
    [Fact]
    public async Task StopsAModelThatIgnoresTheLastTurnsToolChoiceAndKeepsItsCallsFromTheClient()
    {
        var options = Options.Create(new ToolsOptions { MaxSteps = 2 });
        var executor = new ToolExecutor(new ToolResultPrivacy(new PiiScanner(Options.Create(new RouterOptions()))), options, NullLogger<ToolExecutor>.Instance);
        // The loop's registry and built-ins are only used to prepare a request's tools, which this test builds itself.
        var loop = new ToolLoop(null!, null!, executor, new McpSessionPool(options, TimeProvider.System), options, NullLoggerFactory.Instance);
        const string Schema = """{"type":"object"}""";
        var tools = new ToolSet(new Dictionary<string, ServerTool>
        {
            ["ping"] = new BuiltInTool(new ToolDefinition { Name = "ping", ParametersJsonSchema = Schema }, ToolSchema.TryCompile(Schema, out _)!, (_, _) => Task.FromResult("pong")),
        }, new HashSet<string>(), new HashSet<string>());
        var request = new RoutedRequest(new ChatCall
        {
            Request = new ChatCompletionRequest { Messages = { new ChatMessage { Role = "user", Content = "ping forever" } } },
            Caller = new Caller("acme", "req-loop", "key"),
        }, DateTimeOffset.UtcNow);
        var seen = new List<string>();

        var response = await loop.RunAsync(request, new CompletionRequest { Messages = { request.Call.Request.Messages } }, tools, redaction: null,
            (completion, turn, _) =>
            {
                seen.Add(completion.ToolChoice);
                return Task.FromResult(new CompletionResponse
                {
                    Model = "gpt",
                    FinishReason = "tool_calls",
                    CostMicros = 10,
                    Usage = new TokenUsage { PromptTokens = 5, CompletionTokens = 1 },
                    Message = new ChatMessage { Role = "assistant", ToolCalls = { new ToolCall { Id = $"call_{turn}", Name = "ping", ArgumentsJson = "{}" } } },
                });
            }, TestContext.Current.CancellationToken);

        Assert.Equal(["", "", "none"], seen);
        Assert.Empty(response.Message.ToolCalls);
        Assert.Equal("stop", response.FinishReason);
        Assert.Contains("kept calling tools after 2 turns", response.Message.Content, StringComparison.Ordinal);
        Assert.Equal(30, response.CostMicros);
        Assert.Equal(15, response.Usage.PromptTokens);
        Assert.Equal(2, request.Steps.Count(s => s.Name == "ping" && s.Outcome == "ok"));
    }
}
