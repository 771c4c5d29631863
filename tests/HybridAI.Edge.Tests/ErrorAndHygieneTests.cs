using System.Net;
using System.Net.Http.Json;
using Grpc.Core;
using HybridAI.Contracts.Retrieval.V1;
using HybridAI.Edge.Tests.Hosts;

namespace HybridAI.Edge.Tests;

[Collection(GatewayCollection.Name)]
public sealed class ErrorAndHygieneTests(GatewayFixture edge)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/v2/chat/completions")]
    [InlineData("/v1/completions")]
    public async Task AnUnsupportedPathIsAnswered404(string path)
    {
        var response = await edge.Anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);

        var error = await OpenAiErrors.AssertAsync(response, HttpStatusCode.NotFound, "unknown_url");
        Assert.Contains(path, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceThatIsDownIsAnswered502WithoutItsAddress()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);

        var response = await client.GetAsync(new Uri("/v1/hybrid/collections", UriKind.Relative), Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.BadGateway, "upstream_unavailable");
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task AGrpcCallToAServiceThatIsDownIsUnavailable()
    {
        var key = await edge.NewTenantAsync();
        using var channel = edge.GrpcChannel();
        var client = new RetrievalService.RetrievalServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.ListCollectionsAsync(new ListCollectionsRequest(),
            new Metadata { { "authorization", $"Bearer {key.Key}" } }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.DoesNotContain("127.0.0.1", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCallersRequestIdIsForwardedAndReturned()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.Add("x-request-id", "caller-chosen-id-42");

        var response = await client.SendAsync(request, Ct);

        Assert.Equal("caller-chosen-id-42", Assert.Single(response.Headers.GetValues("x-request-id")));
        var echoed = await response.Content.ReadFromJsonAsync<EchoedRequest>(Ct);
        Assert.Equal("caller-chosen-id-42", echoed!.Headers["x-request-id"]);
    }

    [Fact]
    public async Task ARequestWithoutAUsableRequestIdGetsANewOneEvenWhenRefused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("x-request-id", new string('x', 300));

        var response = await edge.Anonymous.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("x-request-id"));
        Assert.Equal(32, id.Length);
    }

    [Fact]
    public async Task TheTraceContextTravelsToTheServiceBehind()
    {
        var key = await edge.NewTenantAsync();

        // A client that sends exactly our traceparent: the test process's own HttpClient instrumentation would add its own.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = edge.Edge.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/models", UriKind.Relative));
        request.Headers.Authorization = new("Bearer", key.Key);
        request.Headers.Add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        var echoed = await (await client.SendAsync(request, Ct)).Content.ReadFromJsonAsync<EchoedRequest>(Ct);

        Assert.StartsWith("00-0af7651916cd43dd8448eb211c80319c-", echoed!.Headers["traceparent"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorsAnswersOnlyTheConfiguredOrigins()
    {
        using var allowed = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/chat/completions", UriKind.Relative));
        allowed.Headers.Add("Origin", "https://app.example.com");
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        allowed.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        using var other = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/chat/completions", UriKind.Relative));
        other.Headers.Add("Origin", "https://evil.example.net");
        other.Headers.Add("Access-Control-Request-Method", "POST");

        var yes = await edge.Anonymous.SendAsync(allowed, Ct);
        var no = await edge.Anonymous.SendAsync(other, Ct);

        Assert.Equal(HttpStatusCode.NoContent, yes.StatusCode);
        Assert.Equal("https://app.example.com", Assert.Single(yes.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(no.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task TheEdgeDoesNotAnnounceItsServer()
    {
        var response = await edge.Anonymous.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct);

        Assert.Empty(response.Headers.Server);
    }
}
