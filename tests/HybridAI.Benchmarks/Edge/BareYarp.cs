using System.Net;
using HybridAI.Testing.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace HybridAI.Benchmarks.Edge;

/// <summary>YARP with nothing else: one route, one destination, no authentication, no limits. The floor of any YARP edge.</summary>
internal sealed class BareYarp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareYarp(WebApplication app, int port)
    {
        _app = app;
        Address = new Uri($"http://127.0.0.1:{port}/v1/");
    }

    public Uri Address { get; }

    public static async Task<BareYarp> StartAsync(Uri upstreamRoot, CancellationToken cancellationToken)
    {
        var port = LoopbackPorts.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "all", ClusterId = "upstream", Match = new RouteMatch { Path = "/v1/{**rest}" } }],
            [new ClusterConfig { ClusterId = "upstream", Destinations = new Dictionary<string, DestinationConfig> { ["u"] = new() { Address = upstreamRoot.ToString() } } }]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync(cancellationToken);
        return new BareYarp(app, port);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
