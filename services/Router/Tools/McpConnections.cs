using HybridAI.Contracts.Governance.V1;
using HybridAI.Tools.Mcp;
using ModelContextProtocol.Client;

namespace HybridAI.Router.Tools;

/// <summary>
/// One request's MCP sessions: a server is connected on its first call and the session reused by later calls in the
/// same tool loop; a session whose call failed or timed out is dropped (its state is unknown). All are closed when the
/// request ends, which also stops stdio programs.
/// </summary>
public sealed class McpConnections(StdioCommandAllowList allowList, TimeSpan connectTimeout, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly Dictionary<string, McpClient> _clients = new(StringComparer.Ordinal);

    public async Task<McpClient> GetAsync(ToolServer server, CancellationToken cancellationToken)
    {
        if (_clients.TryGetValue(server.Name, out var client))
        {
            return client;
        }

        client = await McpConnector.ConnectAsync(server, allowList, connectTimeout, loggerFactory, cancellationToken);
        _clients[server.Name] = client;
        return client;
    }

    public async Task DropAsync(ToolServer server)
    {
        if (_clients.Remove(server.Name, out var client))
        {
            await client.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
        {
            await client.DisposeAsync();
        }

        _clients.Clear();
    }
}
