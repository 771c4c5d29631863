using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Json;
using System.Text.Json;
using HybridAI.Testing.Upstreams;
using OpenAI;
using OpenAI.Chat;

namespace HybridAI.Router.Tests.Suite;

/// <summary>Tools pass through to LLM targets; typed routing constraints in the request's <c>hybridai</c> extension.</summary>
public sealed class RequestFeatureTests(HybridSuite suite) : IDisposable
{
    private readonly HttpClient _http = suite.RouterClient(HybridSuite.TenantB);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ToolsPassThroughToTheLlmAndToolCallsComeBack()
    {
        var marker = Routed.Marker();
        suite.Backup.Respond(r => r.Body.Contains(marker, StringComparison.Ordinal)
            ? UpstreamReply.ToolCall("get_weather", """{"city":"Oslo"}""")
            : HybridSuite.BackupReply(r));
        var chat = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions
        {
            Endpoint = new Uri(_http.BaseAddress!, "v1/"),
            Transport = new HttpClientPipelineTransport(_http),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetChatClient(HybridSuite.BackupModel);
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""")) },
        };

        var result = await chat.CompleteChatAsync([new UserChatMessage($"{marker} What's the weather in Oslo?")], options, Ct);

        Assert.Equal(ChatFinishReason.ToolCalls, result.Value.FinishReason);
        var call = Assert.Single(result.Value.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Oslo", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
        var received = Assert.Single(suite.Backup.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
        Assert.Equal("get_weather", received.Json.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task MaxCostBelowTheWorstCaseIsRefusedBeforeAnyCall()
    {
        var marker = Routed.Marker();

        var routed = await PostAsync(new
        {
            model = "hybrid-llm",
            messages = new[] { new { role = "user", content = $"{marker} Write a long essay on distributed consensus." } },
            hybridai = new { max_cost_usd = 0.0000001m },
        });

        Assert.Equal(403, routed.Status);
        Assert.Equal("blocked", routed.Header("x-hybridai-route"));
        Assert.DoesNotContain(suite.Primary.Requests.Concat(suite.Backup.Requests), r => r.Body.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ModelHintChoosesTheTargetAndMinimumDataClassRaisesSensitivity()
    {
        var marker = Routed.Marker();

        var routed = await PostAsync(new
        {
            messages = new[] { new { role = "user", content = $"{marker} Suggest a name for our internal wiki." } },
            hybridai = new { model_hint = HybridSuite.BackupModel, min_data_class = "internal" },
        });

        Assert.Equal(200, routed.Status);
        Assert.Equal(HybridSuite.BackupModel, routed.Header("x-hybridai-model"));
        Assert.Equal("internal", routed.Header("x-hybridai-data-class"));
    }

    [Fact]
    public async Task UnknownConstraintValueIsABadRequestNamingTheField()
    {
        var routed = await PostAsync(new
        {
            messages = new[] { new { role = "user", content = "hello" } },
            hybridai = new { min_data_class = "top-secret" },
        });

        Assert.Equal(400, routed.Status);
        Assert.Contains("min_data_class", routed.Json.GetProperty("error").ToString(), StringComparison.Ordinal);
    }

    private async Task<Routed> PostAsync(object body)
    {
        using var response = await _http.PostAsJsonAsync("/v1/chat/completions", body, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var headers = response.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        return new Routed((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), headers);
    }
}
