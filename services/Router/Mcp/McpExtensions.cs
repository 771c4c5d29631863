using HybridAI.Router.Mcp.Tools;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace HybridAI.Router.Mcp;

/// <summary>HybridAI as an MCP server: the router's tools over Streamable HTTP at <c>/mcp</c> (docs/api.md, "MCP server").</summary>
public static class McpExtensions
{
    /// <summary>The path the MCP endpoint is mapped at (the edge's <c>mcp</c> route forwards it).</summary>
    public const string Path = "/mcp";

    /// <summary>
    /// Registers the MCP server with the router's six tools (<c>route_explain</c>, <c>search_collection</c>,
    /// <c>match_faq</c>, <c>classify</c>, <c>extract</c>, <c>ask</c>) on the Streamable HTTP transport in stateless mode:
    /// every request carries everything it needs, so any router replica behind a load balancer can serve any request,
    /// without session affinity or shared session state.
    /// </summary>
    public static IHostApplicationBuilder AddRouterMcpServer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.AddSingleton<McpTelemetry>();
        services.AddSingleton<McpServerTool, RouteExplainTool>();
        services.AddSingleton<McpServerTool, SearchCollectionTool>();
        services.AddSingleton<McpServerTool, MatchFaqTool>();
        services.AddSingleton<McpServerTool, ClassifyTool>();
        services.AddSingleton<McpServerTool, ExtractTool>();
        services.AddSingleton<McpServerTool, AskTool>();
        services.AddMcpServer(server =>
            {
                server.ServerInfo = new Implementation { Name = "hybridai", Title = "HybridAI", Version = typeof(McpExtensions).Assembly.GetName().Version?.ToString() ?? "1.0.0" };
                server.ServerInstructions =
                    "HybridAI routes each request to a local small model or an external LLM under the tenant's policy and budget. " +
                    "Use match_faq and search_collection for the knowledge base, classify and extract for local text analysis, " +
                    "route_explain to see how a prompt would be routed, and ask for a routed answer.";
            })
            .WithHttpTransport(http => http.Stateless = true);
        return builder;
    }

    /// <summary>
    /// Maps the MCP endpoint at <see cref="Path"/>, each of its HTTP endpoints behind <see cref="McpAdmission"/> (the
    /// edge-stamped tenant is required, as on every router endpoint).
    /// </summary>
    public static WebApplication MapRouterMcp(this WebApplication app)
    {
        app.MapMcp(Path).Add(endpoint =>
        {
            var inner = endpoint.RequestDelegate ?? throw new InvalidOperationException($"The MCP endpoint {endpoint.DisplayName} has no request delegate.");
            endpoint.RequestDelegate = context => McpAdmission.InvokeAsync(context, inner);
        });
        return app;
    }
}
