using System.Text.Json;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Llm.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Execution;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Privacy;
using HybridAI.Router.Requests;
using HybridAI.Router.Tools;
using HybridAI.Tools.Schemas;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Tests.Tools;

/// <summary>
/// One tool call under governance, without a suite: what the model reads back and the receipt step, for the failures
/// the end-to-end tests cannot provoke through llm-proxy (arguments that are not JSON) and for the bounds.
/// </summary>
public sealed class ToolExecutorTests
{
    private const string Schema = """{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("{\"text\": oops}", "The arguments are not valid JSON")]
    [InlineData("[\"text\"]", "The arguments must be a JSON object.")]
    [InlineData("{\"text\": 5}", "The arguments do not match the tool's schema: /text")]
    public async Task GivesTheModelAnErrorForBadArgumentsWithoutRunningTheTool(string arguments, string expected)
    {
        var ran = false;
        var request = Request();

        var content = await Execute(request, arguments, (_, _) => { ran = true; return Task.FromResult("done"); });

        Assert.Contains(expected, Error(content), StringComparison.Ordinal);
        Assert.False(ran);
        var step = Assert.Single(request.Steps);
        Assert.Equal(("slm", "echo", "invalid_arguments"), (step.Kind, step.Name, step.Outcome));
        Assert.StartsWith("sha256:", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopsAToolThatHangsAtTheCallTimeout()
    {
        var request = Request();
        var started = DateTime.UtcNow;

        var content = await Execute(request, """{"text":"x"}""", async (_, ct) => { await Task.Delay(TimeSpan.FromMinutes(5), ct); return "late"; },
            new ToolsOptions { CallTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal("The tool did not answer within 0.2 s.", Error(content));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.Equal("timeout", Assert.Single(request.Steps).Outcome);
    }

    [Fact]
    public async Task LetsTheCallersCancellationEndTheRequest()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var tools = Tools(async (_, ct) => { await cancel.CancelAsync(); await Task.Delay(TimeSpan.FromMinutes(5), ct); return "late"; });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Executor(new ToolsOptions()).ExecuteAsync(Request(),
            new ToolCall { Id = "call_1", Name = "echo", ArgumentsJson = """{"text":"x"}""" }, tools, null, Connections(), cancel.Token));
    }

    [Fact]
    public async Task RefusesAnOversizedResultAndOversizedArguments()
    {
        var request = Request();
        var options = new ToolsOptions { MaxResultChars = 1000, MaxArgumentChars = 100 };

        var tooLarge = await Execute(request, """{"text":"x"}""", (_, _) => Task.FromResult(new string('r', 1001)), options);
        var tooLong = await Execute(request, $$"""{"text":"{{new string('a', 120)}}"}""", (_, _) => Task.FromResult("ok"), options);

        Assert.StartsWith("The tool's result was 1001 characters, more than the 1000 allowed", Error(tooLarge), StringComparison.Ordinal);
        Assert.StartsWith("The arguments are 131 characters; at most 100 are accepted.", Error(tooLong), StringComparison.Ordinal);
        Assert.Equal(["too_large", "invalid_arguments"], request.Steps.Select(s => s.Outcome));
    }

    [Fact]
    public async Task RedactsPersonalDataInAResultBoundForAnExternalModel()
    {
        var request = Request(external: true);
        var redaction = new PlaceholderRedactionFactory().Begin();

        var content = await Execute(request, """{"text":"x"}""", (_, _) => Task.FromResult("Write to jane.doe@example.com today."), redaction: redaction);

        Assert.DoesNotContain("jane.doe@example.com", content, StringComparison.Ordinal);
        Assert.Contains("<EMAIL_1>", content, StringComparison.Ordinal);
        Assert.Equal("Write to jane.doe@example.com today.", redaction.Restore(content));
        Assert.Contains("EMAIL", request.RedactionTypes);
    }

    private static async Task<string> Execute(RoutedRequest request, string arguments, Func<JsonElement, CancellationToken, Task<string>> run,
        ToolsOptions? options = null, IRedaction? redaction = null) =>
        await Executor(options ?? new ToolsOptions()).ExecuteAsync(request, new ToolCall { Id = "call_1", Name = "echo", ArgumentsJson = arguments },
            Tools(run), redaction, Connections(), Ct);

    private static ToolExecutor Executor(ToolsOptions options) =>
        new(new ToolResultPrivacy(new PiiScanner(Options.Create(new RouterOptions()))), Options.Create(options), NullLogger<ToolExecutor>.Instance);

    private static ToolSet Tools(Func<JsonElement, CancellationToken, Task<string>> run)
    {
        var tool = new BuiltInTool(new ToolDefinition { Name = "echo", ParametersJsonSchema = Schema }, ToolSchema.TryCompile(Schema, out _)!, run);
        return new ToolSet(new Dictionary<string, ServerTool> { ["echo"] = tool }, new HashSet<string>(), new HashSet<string>());
    }

    private static McpConnections Connections() => new(HybridAI.Tools.Mcp.StdioCommandAllowList.Empty, TimeSpan.FromSeconds(1),
        new McpSessionPool(Options.Create(new ToolsOptions()), TimeProvider.System), NullLoggerFactory.Instance);

    private static RoutedRequest Request(bool external = false)
    {
        var call = new ChatCall
        {
            Request = new ChatCompletionRequest { Messages = { new ChatMessage { Role = "user", Content = "hi" } } },
            Caller = new Caller("acme", "req-1", "key-1"),
        };
        return new RoutedRequest(call, DateTimeOffset.UtcNow)
        {
            Tenant = new Contracts.Governance.V1.TenantPolicy { TenantId = "acme" },
            Chain = external ? new TargetChain([new CatalogueModel { Id = "gpt", Local = false }], "") : TargetChain.Empty,
        };
    }

    private static string Error(string content) => JsonDocument.Parse(content).RootElement.GetProperty("error").GetString()!;
}
