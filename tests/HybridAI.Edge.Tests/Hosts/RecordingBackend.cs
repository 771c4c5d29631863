using System.Net;
using System.Text.Json;
using Grpc.Core;
using HybridAI.Contracts;
using HybridAI.Contracts.Router.V1;
using HybridAI.Testing.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HybridAI.Edge.Tests.Hosts;

/// <summary>
/// What the edge forwards to, seen from behind it: a Kestrel server on an HTTP/1.1+HTTP/2 port and an h2c port that
/// answers every HTTP request with the method, path and headers it received (JSON), streams SSE on <c>/v1/models/stream</c>
/// one event at a time as the test releases them, stays silent on <c>/v1/models/silent</c>, and serves
/// <c>hybridai.router.v1.RouterService/ListModels</c> echoing the stamped headers as model fields.
/// </summary>
public sealed class RecordingBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SemaphoreSlim _streamGate = new(0);

    private RecordingBackend(WebApplication app, int httpPort, int grpcPort)
    {
        _app = app;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
    }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    /// <summary>Lets the next SSE event of <c>/v1/models/stream</c> go out.</summary>
    public void ReleaseStreamEvent() => _streamGate.Release();

    public Dictionary<string, string?> DiscoverySettings(string name) => new()
    {
        [$"services:{name}:http:0"] = $"http://127.0.0.1:{HttpPort}",
        [$"services:{name}:grpc:0"] = $"http://127.0.0.1:{GrpcPort}",
    };

    public static async Task<RecordingBackend> StartAsync(CancellationToken cancellationToken)
    {
        var httpPort = LoopbackPorts.Free();
        var grpcPort = LoopbackPorts.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, httpPort, o => o.Protocols = HttpProtocols.Http1AndHttp2);
            k.Listen(IPAddress.Loopback, grpcPort, o => o.Protocols = HttpProtocols.Http2);
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddGrpc();
        var app = builder.Build();
        var backend = new RecordingBackend(app, httpPort, grpcPort);
        app.MapGrpcService<EchoRouterService>();
        app.MapGet("/v1/models/stream", backend.StreamAsync);
        app.MapGet("/v1/models/silent", static async (HttpContext c) => await Task.Delay(TimeSpan.FromSeconds(30), c.RequestAborted));
        app.MapFallback(EchoAsync);
        await app.StartAsync(cancellationToken);
        return backend;
    }

    private static async Task EchoAsync(HttpContext context)
    {
        long bodyBytes = 0;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            bodyBytes += read;
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body,
            new EchoedRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, bodyBytes), cancellationToken: context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.FlushAsync(context.RequestAborted);
        for (var i = 1; i <= 3; i++)
        {
            await _streamGate.WaitAsync(TimeSpan.FromSeconds(10), context.RequestAborted);
            await context.Response.WriteAsync($"data: {{\"n\":{i}}}\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _streamGate.Dispose();
    }

    private sealed class EchoRouterService : RouterService.RouterServiceBase
    {
        public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) =>
            Task.FromResult(new ListModelsResponse
            {
                Models =
                {
                    new RoutedModel
                    {
                        Id = context.RequestHeaders.GetValue(HybridAIHeaders.Tenant) ?? "",
                        OwnedBy = context.RequestHeaders.GetValue(HybridAIHeaders.ApiKeyId) ?? "",
                        Description = context.RequestHeaders.GetValue("authorization") ?? "",
                        Kind = context.RequestHeaders.GetValue(HybridAIHeaders.RequestId) ?? "",
                    },
                },
            });
    }
}

/// <summary>What the backend received.</summary>
public sealed record EchoedRequest(string Method, string Path, Dictionary<string, string> Headers, long BodyBytes);
