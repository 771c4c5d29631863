using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every service listens on two named endpoints: <c>http</c> (HTTP/1.1 and HTTP/2: health, REST) and
/// <c>grpc</c> (HTTP/2 only, so cleartext gRPC works without TLS/ALPN). The AppHost and Kubernetes set
/// the ports through <c>HybridAI:HttpPort</c> and <c>HybridAI:GrpcPort</c>; when neither is set the
/// usual ASP.NET Core settings (ASPNETCORE_URLS, Kestrel:Endpoints) apply unchanged.
/// </summary>
public static class KestrelExtensions
{
    public const string HttpPortKey = "HybridAI:HttpPort";
    public const string GrpcPortKey = "HybridAI:GrpcPort";
    public const string BindAddressKey = "HybridAI:BindAddress";

    internal static TBuilder ConfigureServiceEndpoints<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var httpPort = ReadPort(builder.Configuration, HttpPortKey);
        var grpcPort = ReadPort(builder.Configuration, GrpcPortKey);
        if (httpPort is null && grpcPort is null)
        {
            return builder;
        }

        // In a container the pod's interfaces must be reachable; on a developer machine, only loopback.
        var bindAny = builder.Configuration[BindAddressKey] is { } bind
            ? string.Equals(bind, "any", StringComparison.OrdinalIgnoreCase)
            : string.Equals(builder.Configuration["DOTNET_RUNNING_IN_CONTAINER"], "true", StringComparison.OrdinalIgnoreCase);

        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            if (httpPort is { } h)
            {
                Listen(kestrel, bindAny, h, HttpProtocols.Http1AndHttp2);
            }

            if (grpcPort is { } g)
            {
                Listen(kestrel, bindAny, g, HttpProtocols.Http2);
            }
        });
        return builder;
    }

    private static void Listen(KestrelServerOptions kestrel, bool bindAny, int port, HttpProtocols protocols)
    {
        if (bindAny)
        {
            kestrel.ListenAnyIP(port, o => o.Protocols = protocols);
        }
        else
        {
            kestrel.ListenLocalhost(port, o => o.Protocols = protocols);
        }
    }

    private static int? ReadPort(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!int.TryParse(value, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Invalid configuration: {key} must be a TCP port (1-65535), but is '{value}'.");
        }

        return port;
    }
}
