using System.Diagnostics;
using System.Diagnostics.Metrics;
using HybridAI.Router.Telemetry;

namespace HybridAI.Router.Mcp;

/// <summary>
/// MCP tool calls in the router's telemetry: an <c>execute_tool</c> span per call (OpenTelemetry GenAI conventions) and
/// the counter <c>hybridai.router.mcp.tool_calls</c> by tool and outcome (ok, error code).
/// </summary>
public sealed class McpTelemetry
{
    private readonly Counter<long> _calls;

    public McpTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(RouterTelemetry.Name);
        _calls = meter.CreateCounter<long>("hybridai.router.mcp.tool_calls", "{call}", "MCP tool calls served by the router, by tool and outcome");
    }

    public static Activity? Start(string tool, string tenant)
    {
        var activity = RouterTelemetry.Source.StartActivity($"execute_tool {tool}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", tool);
        activity?.SetTag("gen_ai.tool.type", "function");
        activity?.SetTag("hybridai.tenant", tenant);
        return activity;
    }

    public void Finished(Activity? activity, string tool, string outcome)
    {
        if (outcome != "ok")
        {
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", outcome);
        }

        _calls.Add(1, new KeyValuePair<string, object?>("gen_ai.tool.name", tool), new KeyValuePair<string, object?>("outcome", outcome));
    }
}
