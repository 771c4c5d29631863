using Grpc.Core;
using Grpc.Net.Client;
using HybridAI.ServiceDefaults.Grpc;
using HybridAI.ServiceDefaults.Tests.Probe;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;

namespace HybridAI.ServiceDefaults.Tests;

/// <summary>A minimal service built on the service defaults, with one implemented and one missing method.</summary>
public sealed class ProbeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProbeHost(WebApplication app) => _app = app;

    public static async Task<ProbeHost> StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        return new ProbeHost(app);
    }

    public ProbeService.ProbeServiceClient CreateClient()
    {
        var server = _app.GetTestServer();
        return new ProbeService.ProbeServiceClient(GrpcChannel.ForAddress(server.BaseAddress,
            new GrpcChannelOptions { HttpHandler = server.CreateHandler() }));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private sealed class Service : ProbeService.ProbeServiceBase
    {
        public override Task<Pong> Implemented(Ping request, ServerCallContext context) =>
            Task.FromResult(new Pong { Text = request.Text });

        public override Task<Pong> Invalid(Ping request, ServerCallContext context) =>
            throw RpcErrors.InvalidArgument("text is wrong", ("text", "must not be empty"));
    }
}
