using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace HybridAI.Testing.Services;

/// <summary>
/// A HybridAI service started in-process on real loopback ports (Kestrel), with its <c>http</c> and <c>grpc</c>
/// endpoints on free ports. Other in-process services reach it through service discovery exactly as in a deployment:
/// pass <see cref="DiscoverySettings"/> to them (<c>services:&lt;name&gt;:grpc:0</c>), and their gRPC clients speak
/// HTTP/2 over a socket to it.
/// </summary>
public sealed class LoopbackService<TEntryPoint> : IDisposable where TEntryPoint : class
{
    public LoopbackService(string name, IDictionary<string, string?> settings)
        : this(name, settings, LoopbackPorts.Free(), LoopbackPorts.Free())
    {
    }

    /// <summary>
    /// Starts the service on given ports: pass a disposed instance's <see cref="HttpPort"/> and <see cref="GrpcPort"/>
    /// to restart it where its clients still look for it (outage and restart tests).
    /// </summary>
    public LoopbackService(string name, IDictionary<string, string?> settings, int httpPort, int grpcPort)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Name = name;
        HttpPort = httpPort;
        GrpcPort = grpcPort;
        var all = new Dictionary<string, string?>(settings)
        {
            ["HybridAI:HttpPort"] = HttpPort.ToString(CultureInfo.InvariantCulture),
            ["HybridAI:GrpcPort"] = GrpcPort.ToString(CultureInfo.InvariantCulture),
        };
        Factory = new ServiceFactory<TEntryPoint>(all);
        Factory.UseKestrel();
        Factory.StartServer();
    }

    public string Name { get; }

    public int HttpPort { get; }

    public int GrpcPort { get; }

    public ServiceFactory<TEntryPoint> Factory { get; }

    public Uri HttpAddress => new($"http://127.0.0.1:{HttpPort}");

    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");

    /// <summary>The configuration a client service needs to find this one by name.</summary>
    public Dictionary<string, string?> DiscoverySettings() => new()
    {
        [$"services:{Name}:http:0"] = HttpAddress.ToString().TrimEnd('/'),
        [$"services:{Name}:grpc:0"] = GrpcAddress.ToString().TrimEnd('/'),
    };

    public void Dispose() => Factory.Dispose();
}

/// <summary>Free loopback TCP ports.</summary>
public static class LoopbackPorts
{
    /// <summary>A port that was free a moment ago (bound to port 0, then released).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
