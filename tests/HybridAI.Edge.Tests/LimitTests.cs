using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Rpc;
using Grpc.Core;
using HybridAI.Contracts.Router.V1;
using HybridAI.Edge.Tests.Hosts;

namespace HybridAI.Edge.Tests;

[Collection(GatewayCollection.Name)]
public sealed class LimitTests(GatewayFixture edge)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABodyDeclaredLargerThanTheLimitIsRefusedWith413()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        using var body = new ByteArrayContent(new byte[GatewayFixture.MaxBodyBytes + 1]);
        body.Headers.ContentType = new("application/json");

        var response = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), body, Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task AChunkedBodyThatGrowsPastTheLimitIsRefusedWith413()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        using var body = new StreamContent(new MemoryStream(new byte[GatewayFixture.MaxBodyBytes * 2]));
        body.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative)) { Content = body };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request, Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task ABodyWithinTheLimitIsForwardedWhole()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        using var body = new ByteArrayContent(new byte[GatewayFixture.MaxBodyBytes]);

        var response = await client.PostAsync(new Uri("/v1/embeddings", UriKind.Relative), body, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echoed = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<EchoedRequest>(response.Content, Ct);
        Assert.Equal(GatewayFixture.MaxBodyBytes, echoed!.BodyBytes);
    }

    [Fact]
    public async Task AFloodFromOneKeyIsRefusedWith429AndRetryAfterWhileOtherKeysAreUnaffected()
    {
        var flooder = await edge.NewTenantAsync("""{ "key_rate_limits": { "requests_per_minute": 3 } }""");
        var sameTenant = await edge.IssueKeyAsync(flooder.Tenant);
        var otherTenant = await edge.NewTenantAsync();
        using var flood = edge.ClientWith(flooder.Key);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await flood.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct);
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        await OpenAiErrors.AssertAsync(last, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        var retryAfter = last.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        using var neighbour = edge.ClientWith(sameTenant.Key);
        using var stranger = edge.ClientWith(otherTenant.Key);
        Assert.Equal(HttpStatusCode.OK, (await neighbour.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync(new Uri("/v1/models", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task AGrpcFloodIsResourceExhaustedWithARetryHint()
    {
        var key = await edge.NewTenantAsync("""{ "key_rate_limits": { "requests_per_minute": 1 } }""");
        using var channel = edge.GrpcChannel();
        var router = new RouterService.RouterServiceClient(channel);
        var credentials = new Metadata { { "authorization", $"Bearer {key.Key}" } };

        await router.ListModelsAsync(new ListModelsRequest(), credentials, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<RpcException>(async () => await router.ListModelsAsync(new ListModelsRequest(), credentials, cancellationToken: Ct));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task AStreamIsPassedThroughEventByEventAndOutlivesTheIdleTimeout()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);
        // The first event goes out at once: the edge, like any proxy, sends the response head with the first body bytes.
        edge.Backend.ReleaseStreamEvent();
        using var response = await client.GetAsync(new Uri("/v1/models/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            Assert.Fail(await DescribeAsync(response));
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var clock = Stopwatch.StartNew();

        // Each event is released only after the previous one arrived: a buffering proxy would deadlock here. The gaps add
        // up to more than the 2 s idle timeout towards router, which must not cut a stream that keeps sending.
        for (var i = 1; i <= 3; i++)
        {
            if (i > 1)
            {
                await Task.Delay(1200, Ct);
                edge.Backend.ReleaseStreamEvent();
            }

            var line = await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct);
            Assert.Equal($"data: {{\"n\":{i}}}", line);
            Assert.Equal("", await reader.ReadLineAsync(Ct));
        }

        Assert.Equal("data: [DONE]", await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct));
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(2), "The stream should have lasted longer than the idle timeout.");
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode} {response.Content.Headers.ContentType}: {await response.Content.ReadAsStringAsync(Ct)}";

    [Fact]
    public async Task AnUpstreamThatStaysSilentPastTheIdleTimeoutIsAnswered504()
    {
        var key = await edge.NewTenantAsync();
        using var client = edge.ClientWith(key.Key);

        var response = await client.GetAsync(new Uri("/v1/models/silent", UriKind.Relative), Ct);

        await OpenAiErrors.AssertAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
    }

    [Fact]
    public async Task ASlowlorisBodyIsCutOff()
    {
        var key = await edge.NewTenantAsync();
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, edge.Edge.HttpPort, Ct);
        var stream = socket.GetStream();
        var head = $"POST /v1/chat/completions HTTP/1.1\r\nHost: edge\r\nAuthorization: Bearer {key.Key}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), Ct);
        var clock = Stopwatch.StartNew();

        // 10 bytes a second against a floor of 1000 bytes a second after a 2 s grace period.
        var answer = new StringBuilder();
        var buffer = new byte[4096];
        var reading = stream.ReadAsync(buffer, Ct).AsTask();
        try
        {
            while (!reading.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(15))
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes("          "), Ct);
                await Task.WhenAny(reading, Task.Delay(1000, Ct));
            }
        }
        catch (IOException)
        {
            // The edge closed the connection while we were still writing: also a cut-off.
        }

        var read = await reading.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        answer.Append(Encoding.ASCII.GetString(buffer, 0, read));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"The slow body was tolerated for {clock.Elapsed}.");
        Assert.True(read == 0 || answer.ToString().StartsWith("HTTP/1.1 408", StringComparison.Ordinal), $"Unexpected answer: {answer}");
    }

    [Fact]
    public async Task SlowHeadersAreCutOff()
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, edge.Edge.HttpPort, Ct);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v1/models HTTP/1.1\r\nHost: edge\r\n"), Ct);
        var clock = Stopwatch.StartNew();

        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"Incomplete headers were tolerated for {clock.Elapsed}.");
        var answer = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.True(read == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), $"Unexpected answer: {answer}");
    }
}
