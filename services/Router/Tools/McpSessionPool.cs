using HybridAI.Contracts.Governance.V1;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;

namespace HybridAI.Router.Tools;

/// <summary>
/// Idle MCP sessions to Streamable HTTP tool servers, kept between requests so a tool call does not pay the MCP
/// handshake (initialize and initialized: two extra round trips) every time. A session is leased by one request at a
/// time, returned only after its last call succeeded, and dropped once idle for <see cref="ToolsOptions.SessionIdleTimeout"/>.
/// Sessions are keyed by tenant, server name, URL and registration time, so a re-registered server gets new ones.
/// Stdio servers are never pooled: each request gets its own process, as before.
/// </summary>
public sealed class McpSessionPool(IOptions<ToolsOptions> options, TimeProvider clock) : IAsyncDisposable
{
    private readonly Dictionary<string, Stack<(McpClient Client, DateTimeOffset IdleSince)>> _idle = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Whether sessions to <paramref name="server"/> are pooled at all.</summary>
    public bool Pools(ToolServer server) => server.Transport == ToolTransport.StreamableHttp && options.Value.SessionPoolSize > 0;

    /// <summary>An idle session to <paramref name="server"/>, or null when there is none (expired ones are closed).</summary>
    public async ValueTask<McpClient?> TryLeaseAsync(ToolServer server)
    {
        if (!Pools(server))
        {
            return null;
        }

        var expired = new List<McpClient>();
        McpClient? leased = null;
        lock (_lock)
        {
            if (_idle.TryGetValue(Key(server), out var stack))
            {
                var oldest = clock.GetUtcNow() - options.Value.SessionIdleTimeout;
                while (leased is null && stack.TryPop(out var idle))
                {
                    if (idle.IdleSince >= oldest)
                    {
                        leased = idle.Client;
                    }
                    else
                    {
                        expired.Add(idle.Client);
                    }
                }
            }
        }

        await CloseAsync(expired);
        return leased;
    }

    /// <summary>Keeps a healthy session for the next request, or closes it when the pool for its server is full.</summary>
    public async ValueTask ReturnAsync(ToolServer server, McpClient client)
    {
        var close = new List<McpClient>();
        lock (_lock)
        {
            if (_disposed || !Pools(server))
            {
                close.Add(client);
            }
            else
            {
                var key = Key(server);
                if (!_idle.TryGetValue(key, out var stack))
                {
                    stack = new Stack<(McpClient, DateTimeOffset)>();
                    _idle[key] = stack;
                }

                if (stack.Count < options.Value.SessionPoolSize)
                {
                    stack.Push((client, clock.GetUtcNow()));
                }
                else
                {
                    close.Add(client);
                }
            }
        }

        await CloseAsync(close);
    }

    /// <summary>Idle sessions held now, over all servers (for tests and diagnostics).</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Values.Sum(s => s.Count);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<McpClient> all;
        lock (_lock)
        {
            _disposed = true;
            all = [.. _idle.Values.SelectMany(s => s.Select(i => i.Client))];
            _idle.Clear();
        }

        await CloseAsync(all);
    }

    private static string Key(ToolServer server) =>
        $"{server.TenantId}\n{server.Name}\n{server.Url}\n{server.RegisteredAt?.Seconds}.{server.RegisteredAt?.Nanos}";

    private static async Task CloseAsync(List<McpClient> clients)
    {
        foreach (var client in clients)
        {
            try
            {
                await client.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
            {
                // Closing a session whose server is gone: nothing left to release.
            }
        }
    }
}
