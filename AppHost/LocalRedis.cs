using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HybridAI.AppHost;

/// <summary>Redis run from the machine's own <c>redis-server</c> (local mode), with a connection string like the container's.</summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public EndpointReference Endpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Endpoint.Property(EndpointProperty.HostAndPort)}");
}

/// <summary>Healthy when the local Redis answers PING.</summary>
public sealed class RedisPingHealthCheck(LocalRedisResource resource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hostAndPort = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "";
            var separator = hostAndPort.LastIndexOf(':');
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(hostAndPort[..separator], int.Parse(hostAndPort[(separator + 1)..], System.Globalization.CultureInfo.InvariantCulture), timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            var buffer = new byte[64];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            var reply = Encoding.ASCII.GetString(buffer, 0, read);
            return reply.StartsWith("+PONG", StringComparison.Ordinal)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"unexpected reply to PING: {reply.Trim()}");
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or FormatException or ArgumentException)
        {
            return HealthCheckResult.Unhealthy("redis-server does not answer PING", e);
        }
    }
}
