using System.ClientModel;
using System.Net;
using System.Text;
using HybridAI.Testing.Upstreams;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>Real OpenAI clients, given only the edge's base URL and the dev key, against the whole system.</summary>
[Collection(StackCollection.Name)]
public sealed class OpenAIClientTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OpenAIClient Client(string key = StackFixture.DevKey) => new(new ApiKeyCredential(key), new OpenAIClientOptions
    {
        Endpoint = stack.OpenAIEndpoint,
        NetworkTimeout = TimeSpan.FromSeconds(60),
    });

    [Fact]
    public async Task TheOpenAISdkCompletesAChatThroughTheEdge()
    {
        stack.Upstream.Respond(new UpstreamReply { Text = "Paris is the capital of France." });
        var chat = Client().GetChatClient("hybrid-llm");

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("What is the capital of France? Answer in one sentence.")], cancellationToken: Ct);

        Assert.Equal("Paris is the capital of France.", completion.Content[0].Text);
        Assert.Equal(OpenAI.Chat.ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.OutputTokenCount > 0);
    }

    [Fact]
    public async Task TheOpenAISdkStreamsAChatThroughTheEdge()
    {
        stack.Upstream.Respond(new UpstreamReply { Text = "one two three four five" });
        var chat = Client().GetChatClient("hybrid-llm");

        var text = new StringBuilder();
        var updates = 0;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Count to five in words.")], cancellationToken: Ct))
        {
            updates++;
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal("one two three four five", text.ToString());
        Assert.True(updates > 2, $"Expected the answer in several updates, got {updates}.");
    }

    [Fact]
    public async Task TheOpenAISdkEmbedsThroughTheEdge()
    {
        var embeddings = Client().GetEmbeddingClient("hybrid-auto");

        var embedding = await embeddings.GenerateEmbeddingAsync("How do I reset my password?", cancellationToken: Ct);

        var vector = embedding.Value.ToFloats();
        Assert.Equal(384, vector.Length);
        Assert.Contains(vector.ToArray(), v => v != 0);
    }

    [Fact]
    public async Task TheOpenAISdkListsModelsThroughTheEdge()
    {
        var models = await Client().GetOpenAIModelClient().GetModelsAsync(Ct);

        Assert.Contains(models.Value, m => m.Id == "hybrid-auto");
        Assert.Contains(models.Value, m => m.Id == "hybrid-llm");
    }

    [Fact]
    public async Task TheOpenAISdkSeesAnUnknownKeyAsAuthenticationFailure()
    {
        var chat = Client("hai_not-a-key-of-this-system-000000000000").GetChatClient("hybrid-llm");

        var error = await Assert.ThrowsAsync<ClientResultException>(async () => await chat.CompleteChatAsync([new UserChatMessage("hi")], cancellationToken: Ct));

        Assert.Equal(401, error.Status);
        Assert.Contains("invalid_api_key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MicrosoftExtensionsAIChatClientWorksThroughTheEdge()
    {
        stack.Upstream.Respond(new UpstreamReply { Text = "Hello from behind the edge." });
        IChatClient chat = Client().GetChatClient("hybrid-llm").AsIChatClient();

        var response = await chat.GetResponseAsync("Say hello.", cancellationToken: Ct);
        var streamed = new StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync("Say hello again.", cancellationToken: Ct))
        {
            streamed.Append(update.Text);
        }

        Assert.Equal("Hello from behind the edge.", response.Text);
        Assert.Equal("Hello from behind the edge.", streamed.ToString());
    }

    [Fact]
    public async Task MalformedJsonIsAnswered400InOpenAIShape()
    {
        using var client = stack.DevClient();

        var response = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent("{\"model\": \"hybrid-llm\", \"messages\": [", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task AnOversizedChatIsAnswered413InOpenAIShape()
    {
        var chat = Client().GetChatClient("hybrid-llm");

        var error = await Assert.ThrowsAsync<ClientResultException>(async () =>
            await chat.CompleteChatAsync([new UserChatMessage(new string('a', 300 * 1024))], cancellationToken: Ct));

        Assert.Equal(413, error.Status);
        Assert.Contains("payload_too_large", error.Message, StringComparison.Ordinal);
    }
}
