using HybridAI.Contracts.Governance.V1;
using HybridAI.Tools.Mcp;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Tools;

/// <summary>
/// One request's MCP sessions: a server is connected on its first call (or an idle session is leased from the
/// <see cref="McpSessionPool"/>) and the session reused by later calls in the same tool loop. A session whose call
/// failed, timed out or was cancelled is dropped (its state is unknown). When the request ends, sessions whose last
/// call succeeded go back to the pool; the others are closed, which also stops stdio programs.
/// </summary>
public sealed class McpConnections(StdioCommandAllowList allowList, TimeSpan connectTimeout, McpSessionPool pool, ILoggerFactory loggerFactory)
    : IAsyncDisposable
{
    private readonly Dictionary<string, (ToolServer Server, McpClient Client, bool Idle)> _clients = new(StringComparer.Ordinal);

    /// <summary>The session to <paramref name="server"/> for one call; the caller reports the call with <see cref="Completed"/> or <see cref="DropAsync"/>.</summary>
    public async Task<McpClient> GetAsync(ToolServer server, CancellationToken cancellationToken)
    {
        if (_clients.TryGetValue(server.Name, out var held))
        {
            _clients[server.Name] = held with { Idle = false };
            return held.Client;
        }

        var client = await pool.TryLeaseAsync(server);
        if (client is null)
        {
            client = await McpConnector.ConnectAsync(server, allowList, connectTimeout, loggerFactory, cancellationToken);
            // The tools as registered (schemas validated by governance), so the client need not list them to know their
            // Mcp-Param-* header annotations; without this it warns on every call.
            client.AddKnownTools(server.Tools.Where(t => t.Allowed).Select(t => new Tool
            {
                Name = t.Name,
                Description = t.Description,
                InputSchema = JsonDocument.Parse(t.InputSchemaJson).RootElement.Clone(),
            }));
        }

        _clients[server.Name] = (server, client, false);
        return client;
    }

    /// <summary>The call on <paramref name="server"/>'s session finished normally: the session may be reused.</summary>
    public void Completed(ToolServer server)
    {
        if (_clients.TryGetValue(server.Name, out var held))
        {
            _clients[server.Name] = held with { Idle = true };
        }
    }

    public async Task DropAsync(ToolServer server)
    {
        if (_clients.Remove(server.Name, out var held))
        {
            await held.Client.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (server, client, idle) in _clients.Values)
        {
            if (idle && pool.Pools(server))
            {
                await pool.ReturnAsync(server, client);
            }
            else
            {
                await client.DisposeAsync();
            }
        }

        _clients.Clear();
    }
}
