using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace HybridAI.Edge.Hosting;

/// <summary>
/// Applies <c>Edge:Limits</c> and <c>Edge:MaxRequestBodyBytes</c> to Kestrel. These are the edge's protection against
/// slow or oversized clients: they act before any middleware, on every listener (the ports themselves come from
/// ServiceDefaults: <c>HybridAI:HttpPort</c> and <c>HybridAI:GrpcPort</c>).
/// </summary>
internal sealed class KestrelLimits(IOptions<EdgeOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel)
    {
        var edge = options.Value;
        var limits = edge.Limits;
        kestrel.AddServerHeader = false;
        kestrel.Limits.MaxRequestBodySize = edge.MaxRequestBodyBytes;
        kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
        kestrel.Limits.MaxConcurrentUpgradedConnections = limits.MaxConcurrentConnections;
        kestrel.Limits.MaxRequestHeadersTotalSize = limits.MaxRequestHeadersTotalBytes;
        kestrel.Limits.MaxRequestHeaderCount = limits.MaxRequestHeaderCount;
        kestrel.Limits.MaxRequestLineSize = Math.Min(limits.MaxRequestHeadersTotalBytes, 16 * 1024);
        kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
        kestrel.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
        kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod);
        kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
        kestrel.Limits.Http2.MaxRequestHeaderFieldSize = Math.Max(limits.MaxRequestHeadersTotalBytes, 16 * 1024);
        // Response rates are not limited: a token stream is slow on purpose, and a slow reader only holds its own stream.
        kestrel.Limits.MinResponseDataRate = null;
    }
}
