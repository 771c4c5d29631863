using Grpc.Core;
using HybridAI.Contracts.Common.V1;
using HybridAI.Testing.Upstreams;

namespace HybridAI.LlmProxy.Tests;

/// <summary>Requests the proxy refuses before any upstream call: INVALID_ARGUMENT with a field violation each.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private OpenAIUpstream _upstream = null!;
    private ProxyHost _proxy = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _upstream = await OpenAIUpstream.StartAsync(Ct);
        _proxy = ProxyHost.Start(ProxyHost.Merge(
            ProxyHost.Model(0, "small", _upstream, contextWindow: 1_000, maxOutputTokens: 200),
            ProxyHost.Model(1, "large", _upstream, contextWindow: 100_000, maxOutputTokens: 8_000)));
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task UnknownModelIsInvalidArgumentNamingTheCatalogue()
    {
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            () => _proxy.Client.CompleteAsync(ProxyHost.Request("small", "gpt-9"), cancellationToken: Ct).ResponseAsync);

        var violation = RpcAssert.Violation(error, "targets[1]");
        Assert.Contains("unknown model 'gpt-9'", violation.Description, StringComparison.Ordinal);
        Assert.Contains("small, large", violation.Description, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task ModelHintOutsideTheAllowedTargetsIsInvalidArgument()
    {
        var request = ProxyHost.Request("small");
        request.ModelHint = "large";

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CompleteAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.Contains("outside the allowed targets (small)", RpcAssert.Violation(error, "model_hint").Description, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task ModelHintInsideTheAllowedTargetsIsTriedFirst()
    {
        var request = ProxyHost.Request("small", "large");
        request.ModelHint = "large";

        var response = await _proxy.Client.CompleteAsync(request, cancellationToken: Ct);

        Assert.Equal("large", response.Model);
        Assert.Equal("large", Assert.Single(response.Attempts).Target);
    }

    [Fact]
    public async Task EmptyAndDuplicateTargetsAreInvalidArgument()
    {
        var empty = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CompleteAsync(ProxyHost.Request(), cancellationToken: Ct).ResponseAsync);
        Assert.Contains("at least one target", RpcAssert.Violation(empty, "targets").Description, StringComparison.Ordinal);

        var duplicate = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument,
            () => _proxy.Client.CompleteAsync(ProxyHost.Request("small", "small"), cancellationToken: Ct).ResponseAsync);
        Assert.Contains("more than once", RpcAssert.Violation(duplicate, "targets[1]").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxTokensAboveTheModelLimitIsInvalidArgument()
    {
        var request = ProxyHost.Request("small");
        request.MaxTokens = 500;

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CompleteAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.Contains("max_tokens 500 is above the model's limit of 200", RpcAssert.Violation(error, "max_tokens").Description, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task MaxTokensAboveOneTargetsLimitSkipsItForTheNext()
    {
        var request = ProxyHost.Request("small", "large");
        request.MaxTokens = 500;

        var response = await _proxy.Client.CompleteAsync(request, cancellationToken: Ct);

        Assert.Equal("large", response.Model);
        Assert.Equal("skipped", response.Attempts[0].Outcome);
        Assert.Contains("above the model's limit", response.Attempts[0].Error, StringComparison.Ordinal);
        Assert.Equal("ok", response.Attempts[1].Outcome);
    }

    [Fact]
    public async Task PromptBeyondTheContextWindowIsRefusedWithTokenCountsBeforeAnyCall()
    {
        var request = ProxyHost.Request("small");
        request.Messages.Add(new ChatMessage { Role = "user", Content = string.Join(' ', Enumerable.Repeat("tokens and more tokens", 400)) });
        request.MaxTokens = 100;

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CompleteAsync(request, cancellationToken: Ct).ResponseAsync);

        var description = RpcAssert.Violation(error, "messages").Description;
        Assert.Matches(@"the prompt is [\d,]+ tokens \(o200k_base\) and max_tokens is 100: [\d,]+ exceeds the context window of 1,000 tokens", description);
        Assert.Contains("context window", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task StreamsAreValidatedTheSameWay()
    {
        var request = ProxyHost.Request("nope");

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.StreamAsync(request, Ct));

        Assert.Contains("unknown model 'nope'", RpcAssert.Violation(error, "targets[0]").Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name!", """{"type":"object"}""", "tools[0].name")]
    [InlineData("ok", "{not json", "tools[0].parameters_json_schema")]
    [InlineData("ok", """{"type":"string"}""", "tools[0].parameters_json_schema")]
    [InlineData("ok", """{"type":"object","required":"city"}""", "tools[0].parameters_json_schema")]
    [InlineData("ok", "[1,2]", "tools[0].parameters_json_schema")]
    public async Task InvalidToolSchemasAreInvalidArgument(string name, string schema, string field)
    {
        var request = ProxyHost.Request("large");
        request.Tools.Add(new ToolDefinition { Name = name, ParametersJsonSchema = schema });

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CompleteAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.NotEmpty(RpcAssert.Violation(error, field).Description);
        Assert.Equal(0, _upstream.RequestCount);
    }

    [Fact]
    public async Task EveryProblemIsReportedAtOnce()
    {
        var request = ProxyHost.Request("large");
        request.Messages.Add(new ChatMessage { Role = "robot", Content = "x" });
        request.Messages.Add(new ChatMessage { Role = "tool", Content = "result" });
        request.Temperature = 3;
        request.TopP = 0;
        request.ToolChoice = "get_weather";
        request.ResponseFormatJson = """{"type":"yaml"}""";

        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CompleteAsync(request, cancellationToken: Ct).ResponseAsync);

        foreach (var field in new[] { "messages[2].role", "messages[3].tool_call_id", "temperature", "top_p", "tool_choice", "response_format_json" })
        {
            Assert.NotNull(RpcAssert.Violation(error, field));
        }
    }

    [Fact]
    public async Task CountTokensOfAnUnknownTargetIsInvalidArgument()
    {
        var error = await RpcAssert.ThrowsAsync(StatusCode.InvalidArgument, () => _proxy.Client.CountTokensAsync(
            new() { Target = "nope", Messages = { new ChatMessage { Role = "user", Content = "hi" } } }, cancellationToken: Ct).ResponseAsync);

        Assert.Contains("unknown model", RpcAssert.Violation(error, "target").Description, StringComparison.Ordinal);
    }
}
