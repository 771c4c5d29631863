using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Testing.Upstreams;

namespace HybridAI.Edge.Tests.EndToEnd;

/// <summary>Grpc.Net.Client with the shared contracts, through the edge's h2c port, against the whole system.</summary>
[Collection(StackCollection.Name)]
public sealed class GrpcClientTests(StackFixture stack)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Metadata DevKey => new() { { "authorization", $"Bearer {StackFixture.DevKey}" } };

    [Fact]
    public async Task AGrpcClientCompletesAndStreamsAChatThroughTheEdge()
    {
        stack.Upstream.Respond(new UpstreamReply { Text = "Routed over gRPC." });
        using var channel = GrpcChannel.ForAddress(stack.Edge.GrpcAddress);
        var router = new RouterService.RouterServiceClient(channel);
        var request = new ChatCompletionRequest { Model = "hybrid-llm", Messages = { new ChatMessage { Role = "user", Content = "Say something." } } };

        var completion = await router.CompleteChatAsync(request, DevKey, cancellationToken: Ct);
        var streamed = new System.Text.StringBuilder();
        using (var stream = router.StreamChat(request, DevKey, cancellationToken: Ct))
        {
            await foreach (var chunk in stream.ResponseStream.ReadAllAsync(Ct))
            {
                streamed.Append(chunk.Delta?.Content);
            }
        }

        Assert.Equal("Routed over gRPC.", completion.Message.Content);
        Assert.Equal("Routed over gRPC.", streamed.ToString());
    }

    [Fact]
    public async Task AGrpcClientWithoutAKeyIsUnauthenticated()
    {
        using var channel = GrpcChannel.ForAddress(stack.Edge.GrpcAddress);
        var router = new RouterService.RouterServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await router.ListModelsAsync(new ListModelsRequest(), cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}
