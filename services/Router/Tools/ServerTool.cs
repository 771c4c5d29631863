using System.Text.Json;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Tools.Schemas;

namespace HybridAI.Router.Tools;

/// <summary>A tool the router runs itself in the tool loop: its definition for the model and its compiled argument schema.</summary>
public abstract class ServerTool(ToolDefinition definition, ToolSchema schema)
{
    public string Name => Definition.Name;

    public ToolDefinition Definition { get; } = definition;

    public ToolSchema Schema { get; } = schema;

    /// <summary>The receipt step's kind: <c>tool</c> (an MCP server) or <c>slm</c> (a built-in run on the SLM tier).</summary>
    public abstract string StepKind { get; }
}

/// <summary>A tool of a tenant's registered MCP server.</summary>
public sealed class McpServerTool(ToolDefinition definition, ToolSchema schema, ToolServer server) : ServerTool(definition, schema)
{
    public ToolServer Server { get; } = server;

    public override string StepKind => "tool";
}

/// <summary>A built-in tool backed by the router's own SLM-tier capabilities.</summary>
public sealed class BuiltInTool(ToolDefinition definition, ToolSchema schema, Func<JsonElement, CancellationToken, Task<string>> run)
    : ServerTool(definition, schema)
{
    public Func<JsonElement, CancellationToken, Task<string>> Run { get; } = run;

    public override string StepKind => "slm";
}

/// <summary>
/// A tenant's registered tools, compiled once per registry read: the allowed ones by name, and the names that are
/// registered but not allowed (so a call to one is refused as forbidden rather than unknown).
/// </summary>
public sealed class TenantTools(IReadOnlyDictionary<string, McpServerTool> allowed, IReadOnlySet<string> forbidden)
{
    public static TenantTools Empty { get; } = new(new Dictionary<string, McpServerTool>(), new HashSet<string>());

    public IReadOnlyDictionary<string, McpServerTool> Allowed { get; } = allowed;

    public IReadOnlySet<string> Forbidden { get; } = forbidden;
}
