using HybridAI.Contracts.Governance.V1;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace HybridAI.Tools.Mcp;

/// <summary>
/// Opens an MCP client session to a registered server: Streamable HTTP for <c>url</c>, or a local program for stdio
/// (only a command in the operator's allow-list; checked here too, so a registry entry that bypassed governance's check
/// still cannot start an arbitrary program).
/// </summary>
public static class McpConnector
{
    /// <summary>Connects and initializes within <paramref name="timeout"/>; the caller disposes the client (which stops a stdio program).</summary>
    public static async Task<McpClient> ConnectAsync(ToolServer server, StdioCommandAllowList allowList, TimeSpan timeout,
        ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        IClientTransport transport = server.Transport switch
        {
            ToolTransport.StreamableHttp => new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = new Uri(server.Url),
                Name = server.Name,
                TransportMode = HttpTransportMode.StreamableHttp,
                ConnectionTimeout = timeout,
                MaxReconnectionAttempts = 0,
            }, loggerFactory),
            ToolTransport.Stdio when allowList.Allows(server.Command) => new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = server.Name,
                Command = server.Command,
                Arguments = [.. server.Args],
                // The program sees only what it is given: no secrets of the host process leak through its environment.
                InheritEnvironmentVariables = false,
                ShutdownTimeout = TimeSpan.FromSeconds(2),
            }, loggerFactory),
            ToolTransport.Stdio => throw new ToolServerException($"The command '{server.Command}' is not in the operator's stdio allow-list."),
            _ => throw new ToolServerException($"Tool server '{server.Name}' has no transport."),
        };

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new() { Name = "hybridai", Version = "1.0" }, InitializationTimeout = timeout }, loggerFactory, limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolServerException($"Tool server '{server.Name}' did not complete the MCP handshake within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not ToolServerException)
        {
            throw new ToolServerException($"Tool server '{server.Name}' could not be reached: {Describe(e)}", e);
        }
    }

    /// <summary>One line about a failure, without stack traces (they go to logs, not to models or admins).</summary>
    public static string Describe(Exception e)
    {
        var message = e.InnerException is { } inner && inner.Message.Length > 0 && e.Message.Length < 40 ? $"{e.Message} ({inner.Message})" : e.Message;
        return message.Length > 300 ? message[..300] + "…" : message;
    }
}

/// <summary>A tool server could not be reached, listed or called; the message is fit for an admin or a model.</summary>
public sealed class ToolServerException(string message, Exception? inner = null) : Exception(message, inner);
