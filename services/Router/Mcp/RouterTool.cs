using System.Text.Json;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using HybridAI.Router.Errors;
using HybridAI.Router.Http;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Requests;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace HybridAI.Router.Mcp;

/// <summary>
/// One of the router's MCP tools: a hand-written input schema (exact bounds and descriptions, no reflection), arguments
/// read against it, and every failure of the work turned into an <c>isError</c> result in OpenAI's error shape
/// (invalid arguments, unknown collection or head, budget exhausted, policy blocked, a dependency down). Only a caller
/// that went away ends the call without a result.
/// </summary>
public abstract class RouterTool : McpServerTool
{
    private readonly IHttpContextAccessor _http;
    private readonly McpTelemetry _telemetry;
    private readonly string[] _arguments;

    protected RouterTool(IHttpContextAccessor http, McpTelemetry telemetry, string name, string title, string description,
        string inputSchema, JsonTypeInfo output, bool readOnly, bool openWorld = false)
    {
        _http = http;
        _telemetry = telemetry;
        var schema = JsonElement.Parse(inputSchema);
        _arguments = [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
        ProtocolTool = new Tool
        {
            Name = name,
            Title = title,
            Description = description,
            InputSchema = schema,
            OutputSchema = OutputSchemaOf(output),
            Annotations = new ToolAnnotations
            {
                Title = title,
                ReadOnlyHint = readOnly,
                DestructiveHint = false,
                IdempotentHint = readOnly,
                OpenWorldHint = openWorld,
            },
        };
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata => [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var caller = McpAdmission.CallerOf(_http.HttpContext);
        var name = ProtocolTool.Name;
        using var activity = McpTelemetry.Start(name, caller.TenantId);
        try
        {
            var arguments = new ToolArguments(request.Params?.Arguments, _arguments);
            var result = await ExecuteAsync(caller, arguments, cancellationToken);
            _telemetry.Finished(activity, name, "ok");
            return result;
        }
        catch (ToolArgumentException e)
        {
            _telemetry.Finished(activity, name, "invalid_arguments");
            return ToolResults.Error(OpenAiException.InvalidRequest(e.Message, null, "invalid_arguments"));
        }
        catch (RoutingException e) when (!cancellationToken.IsCancellationRequested)
        {
            var error = HttpErrors.ToOpenAi(e);
            _telemetry.Finished(activity, name, error.Code ?? error.Type);
            return ToolResults.Error(error, e.Decision is { } decision ? DecisionMapper.ToDto(decision, caller.RequestId) : null);
        }
        catch (OpenAiException e) when (!cancellationToken.IsCancellationRequested)
        {
            _telemetry.Finished(activity, name, e.Code ?? e.Type);
            return ToolResults.Error(e);
        }
        catch (Exception e) when (Unhandled(activity, name, e, cancellationToken))
        {
            throw;
        }
    }

    /// <summary>
    /// Counts a failure left to the SDK (a cancelled call, or a fault it reports as a generic tool error without
    /// internals); never catches it.
    /// </summary>
    private bool Unhandled(System.Diagnostics.Activity? activity, string name, Exception e, CancellationToken cancellationToken)
    {
        _telemetry.Finished(activity, name, cancellationToken.IsCancellationRequested ? "cancelled" : e.GetType().Name);
        return false;
    }

    /// <summary>
    /// The schema of a successful result's <c>structuredContent</c>, exported from the very type that serializes it, so
    /// the two cannot drift. (A failure's structured content is the error object, described in docs/api.md.)
    /// </summary>
    private static JsonElement OutputSchemaOf(JsonTypeInfo output) => JsonElement.Parse(
        JsonSchemaExporter.GetJsonSchemaAsNode(output, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }).ToJsonString());

    /// <summary>Reads the arguments (then <see cref="ToolArguments.ThrowIfInvalid"/>) and does the work.</summary>
    protected abstract Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken);
}
