using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts.Router.V1;
using OpenAI;
using OpenAI.Chat;

namespace HybridAI.Router.Tests.Suite;

/// <summary>The router through the clients applications use: the official OpenAI .NET SDK and Grpc.Net.Client.</summary>
public sealed class ClientTests(HybridSuite suite) : IDisposable
{
    private readonly HttpClient _http = suite.RouterClient();
    private readonly HttpClient _cascadeHttp = suite.RouterClient(cascade: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _http.Dispose();
        _cascadeHttp.Dispose();
    }

    [Fact]
    public async Task OpenAiSdkGetsARoutedCompletionWithTheDecisionInHeaders()
    {
        var marker = Routed.Marker();
        var chat = Client(_http, "hybrid-auto");

        var result = await chat.CompleteChatAsync([new UserChatMessage($"{marker} Write a haiku about routing tables in distributed systems.")], cancellationToken: Ct);

        Assert.Equal(HybridSuite.PrimaryAnswer, result.Value.Content[0].Text);
        Assert.Equal(HybridSuite.PrimaryModel, result.Value.Model);
        Assert.Equal(ChatFinishReason.Stop, result.Value.FinishReason);
        Assert.True(result.Value.Usage.InputTokenCount > 0);
        var raw = result.GetRawResponse();
        Assert.True(raw.Headers.TryGetValue("x-hybridai-route", out var route));
        Assert.Equal("llm", route);
        Assert.True(raw.Headers.TryGetValue("x-hybridai-cost-usd", out var cost) && decimal.Parse(cost!, System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task OpenAiSdkStreamsAnFaqAnswerWithUsage()
    {
        var chat = Client(_http, "hybrid-auto");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("How long do I have to return an item?")], cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Contains("within 30 days", text.ToString(), StringComparison.Ordinal);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task OpenAiSdkStreamsAnLlmAnswer()
    {
        var marker = Routed.Marker();
        suite.Primary.Respond(r => r.Body.Contains(marker, StringComparison.Ordinal)
            ? Testing.Upstreams.UpstreamReply.Chunked("Streamed ", "from ", "the ", "primary.")
            : suite.PrimaryReply(r));
        var chat = Client(_http, "hybrid-llm");
        var text = new StringBuilder();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage($"{marker} Explain CAP in one line.")], cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("Streamed from the primary.", text.ToString());
    }

    [Fact]
    public async Task StreamingCascadeNeverShowsTheEscalatedLocalTokens()
    {
        var marker = Routed.Marker();
        var chat = Client(_cascadeHttp, "hybrid-auto");
        var text = new StringBuilder();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage($"{marker} hey, what's up?")], cancellationToken: Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(HybridSuite.PrimaryAnswer, text.ToString());
        Assert.Single(suite.Primary.Requests, r => r.Body.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GrpcCompleteChatCarriesTheDecisionInTheMessageAndTrailers()
    {
        using var channel = GrpcChannel.ForAddress(suite.Router.GrpcAddress);
        var client = new RouterService.RouterServiceClient(channel);
        var marker = Routed.Marker();
        var request = new ChatCompletionRequest { Model = "hybrid-auto" };
        request.Messages.Add(new HybridAI.Contracts.Common.V1.ChatMessage { Role = "user", Content = $"{marker} Outline a 3-step plan to reduce cloud costs." });

        using var call = client.CompleteChatAsync(request, Tenant("dev"), cancellationToken: Ct);
        var response = await call.ResponseAsync;

        Assert.Equal(HybridAI.Contracts.Common.V1.Route.Llm, response.Decision.Route);
        Assert.Equal(HybridSuite.PrimaryModel, response.Model);
        Assert.Equal(HybridSuite.PrimaryAnswer, response.Message.Content);
        Assert.True(response.Decision.CostMicros > 0);
        var trailers = call.GetTrailers();
        Assert.Equal("llm", trailers.GetValue("x-hybridai-route"));
        Assert.Equal(HybridSuite.PrimaryModel, trailers.GetValue("x-hybridai-model"));
    }

    [Fact]
    public async Task GrpcStreamChatEndsWithTheDecision()
    {
        using var channel = GrpcChannel.ForAddress(suite.Router.GrpcAddress);
        var client = new RouterService.RouterServiceClient(channel);
        var request = new ChatCompletionRequest();
        request.Messages.Add(new HybridAI.Contracts.Common.V1.ChatMessage { Role = "user", Content = "Where are your stores?" });

        using var call = client.StreamChat(request, Tenant("dev"), cancellationToken: Ct);
        var text = new StringBuilder();
        ChatCompletionDone? done = null;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(Ct))
        {
            if (chunk.Delta is { } delta)
            {
                text.Append(delta.Content);
            }
            else
            {
                done = chunk.Done;
            }
        }

        Assert.Contains("Riverton", text.ToString(), StringComparison.Ordinal);
        Assert.NotNull(done);
        Assert.Equal(HybridAI.Contracts.Common.V1.Route.Slm, done.Decision.Route);
    }

    [Fact]
    public async Task GrpcRefusesAMissingTenantAndAnUnknownModelWithTheRightStatus()
    {
        using var channel = GrpcChannel.ForAddress(suite.Router.GrpcAddress);
        var client = new RouterService.RouterServiceClient(channel);
        var request = new ChatCompletionRequest { Model = "no-such-model" };
        request.Messages.Add(new HybridAI.Contracts.Common.V1.ChatMessage { Role = "user", Content = "hello" });

        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await client.CompleteChatAsync(request, cancellationToken: Ct));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await client.CompleteChatAsync(request, Tenant("dev"), cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-model", unknown.Status.Detail, StringComparison.Ordinal);
    }

    private static Metadata Tenant(string tenant) => new() { { "x-hybridai-tenant", tenant } };

    private static ChatClient Client(HttpClient http, string model) => new OpenAIClient(new ApiKeyCredential("unused-behind-the-edge"), new OpenAIClientOptions
    {
        Endpoint = new Uri(http.BaseAddress!, "v1/"),
        Transport = new HttpClientPipelineTransport(http),
        RetryPolicy = new ClientRetryPolicy(0),
    }).GetChatClient(model);
}
