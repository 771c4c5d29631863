using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Tools;

/// <summary>
/// The tools of one request in the server-side loop: those the router runs (the tenant's allowed MCP tools and the
/// built-ins), the names registered but not allowed, and the client's own tools (whose calls go back to the client).
/// </summary>
public sealed class ToolSet(IReadOnlyDictionary<string, ServerTool> server, IReadOnlySet<string> forbidden, IReadOnlySet<string> client)
{
    public IReadOnlyDictionary<string, ServerTool> Server { get; } = server;

    public IReadOnlySet<string> Forbidden { get; } = forbidden;

    public IReadOnlySet<string> Client { get; } = client;

    public IEnumerable<ToolDefinition> Definitions => Server.Values.Select(t => t.Definition);
}
