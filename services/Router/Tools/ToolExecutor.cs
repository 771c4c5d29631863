using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HybridAI.Contracts.Common.V1;
using HybridAI.Router.Errors;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Privacy;
using HybridAI.Router.Telemetry;
using HybridAI.Tools.Mcp;
using Microsoft.Extensions.Options;
using ModelContextProtocol;

namespace HybridAI.Router.Tools;

/// <summary>
/// Runs one tool call the model made, under governance: permission (only the request's server-side tools), argument
/// size and JSON Schema validation, a per-call timeout, a result size limit and the tenant's PII policy on the result.
/// Whatever goes wrong becomes an error result the model reads (<c>{"error": …}</c>), never a failed request; only the
/// caller going away ends the request. Every call is one receipt step: kind <c>tool</c> (or <c>slm</c> for built-ins),
/// the tool, the outcome, the latency, and the SHA-256 of the arguments as the model sent them.
/// </summary>
public sealed partial class ToolExecutor(ToolResultPrivacy privacy, IOptions<ToolsOptions> options, ILogger<ToolExecutor> logger)
{
    public async Task<string> ExecuteAsync(RoutedRequest request, ToolCall call, ToolSet tools, IRedaction? redaction, McpConnections connections,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // OpenTelemetry GenAI conventions: one execute_tool span per call (arguments and results are never recorded).
        using var activity = RouterTelemetry.Source.StartActivity($"execute_tool {call.Name}", ActivityKind.Internal);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", call.Name);
        activity?.SetTag("gen_ai.tool.call.id", call.Id);
        activity?.SetTag("hybridai.request_id", request.Caller.RequestId);
        var hash = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Canonical(call.ArgumentsJson)));
        var (content, outcome, kind, note) = await RunAsync(request, call, tools, redaction, connections, cancellationToken);
        request.Step(kind, call.Name, outcome, Stopwatch.GetElapsedTime(started), note.Length == 0 ? hash : $"{hash} {note}");
        activity?.SetTag("gen_ai.tool.type", kind == "slm" ? "hybridai_builtin" : "mcp");
        activity?.SetTag("hybridai.tool.outcome", outcome);
        if (outcome != "ok")
        {
            activity?.SetStatus(ActivityStatusCode.Error, outcome);
        }

        return content;
    }

    private async Task<(string Content, string Outcome, string Kind, string Note)> RunAsync(RoutedRequest request, ToolCall call, ToolSet tools,
        IRedaction? redaction, McpConnections connections, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!tools.Server.TryGetValue(call.Name, out var tool))
        {
            return tools.Forbidden.Contains(call.Name)
                ? (ToolErrors.Json($"The tool '{call.Name}' is not allowed for this tenant."), "forbidden", "tool", "")
                : (ToolErrors.Json($"There is no tool named '{call.Name}'. Available tools: {string.Join(", ", tools.Server.Keys.Order(StringComparer.Ordinal))}."), "unknown_tool", "tool", "");
        }

        if (call.ArgumentsError.Length > 0)
        {
            // llm-proxy could not read the model's arguments (its client keeps only why).
            return (ToolErrors.Json($"The arguments are not valid JSON ({Clip(call.ArgumentsError, 200)}). Send a JSON object matching the tool's schema."),
                "invalid_arguments", tool.StepKind, "");
        }

        if (call.ArgumentsJson.Length > o.MaxArgumentChars)
        {
            return (ToolErrors.Json($"The arguments are {call.ArgumentsJson.Length} characters; at most {o.MaxArgumentChars} are accepted."), "invalid_arguments", tool.StepKind, "");
        }

        // Placeholders the model saw in redacted text go back to their values: the tool works on the real data.
        var arguments = redaction is null ? call.ArgumentsJson : redaction.Restore(call.ArgumentsJson);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(arguments.Length == 0 ? "{}" : arguments, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return (ToolErrors.Json($"The arguments are not valid JSON ({e.Message.Split(" Path:")[0]}). Send a JSON object matching the tool's schema."), "invalid_arguments", tool.StepKind, "");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (ToolErrors.Json("The arguments must be a JSON object."), "invalid_arguments", tool.StepKind, "");
            }

            if (tool.Schema.Validate(root) is { Count: > 0 } problems)
            {
                return (ToolErrors.Json($"The arguments do not match the tool's schema: {string.Join("; ", problems)}"), "invalid_arguments", tool.StepKind, "");
            }

            var timeout = tool is McpServerTool { Server.CallTimeoutMs: > 0 } m ? TimeSpan.FromMilliseconds(m.Server.CallTimeoutMs) : o.CallTimeout;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            string text;
            try
            {
                var result = await InvokeAsync(tool, root, connections, limit.Token);
                if (result.IsError)
                {
                    return (ToolErrors.Json($"The tool reported an error: {Clip(result.Text, 500)}"), "tool_error", tool.StepKind, "");
                }

                text = result.Text;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await DropAsync(tool, connections);
                return (ToolErrors.Json($"The tool did not answer within {timeout.TotalSeconds:0.#} s."), "timeout", tool.StepKind, "");
            }
            catch (Exception e) when (e is ToolServerException or McpException or HttpRequestException or IOException or JsonException
                or RoutingException { Kind: not FailureKind.Cancelled })
            {
                // The boundary of a tool call: its failure is the model's to read, never the request's.
                LogFailed(logger, request.Caller.RequestId, call.Name, e.GetType().Name, e.Message);
                await DropAsync(tool, connections);
                return (ToolErrors.Json($"The tool failed: {McpConnector.Describe(e)}"), "error", tool.StepKind, "");
            }

            if (text.Length > o.MaxResultChars)
            {
                return (ToolErrors.Json($"The tool's result was {text.Length} characters, more than the {o.MaxResultChars} allowed; it was not passed on. Ask for less (a narrower query)."),
                    "too_large", tool.StepKind, "");
            }

            var safe = privacy.Apply(request, text, redaction);
            return safe.Withheld
                ? (safe.Text, "withheld", tool.StepKind, $"pii {string.Join(",", safe.Types)}")
                : (safe.Text, "ok", tool.StepKind, safe.Types.Count > 0 ? $"redacted {string.Join(",", safe.Types)}" : "");
        }
    }

    private static async Task<ToolResult> InvokeAsync(ServerTool tool, JsonElement arguments, McpConnections connections, CancellationToken cancellationToken)
    {
        switch (tool)
        {
            case BuiltInTool builtIn:
                return new ToolResult(await builtIn.Run(arguments, cancellationToken), IsError: false);
            case McpServerTool mcp:
                var client = await connections.GetAsync(mcp.Server, cancellationToken);
                var result = await McpToolCall.CallAsync(client, mcp.Name, arguments, cancellationToken);
                connections.Completed(mcp.Server);
                return result;
            default:
                throw new InvalidOperationException($"Unknown tool kind {tool.GetType().Name}.");
        }
    }

    private static Task DropAsync(ServerTool tool, McpConnections connections) =>
        tool is McpServerTool mcp ? connections.DropAsync(mcp.Server) : Task.CompletedTask;

    /// <summary>
    /// The arguments in compact JSON (whitespace removed, order kept), so the hash does not change with how a provider
    /// formats them; arguments that are not JSON are hashed as sent.
    /// </summary>
    private static byte[] Canonical(string arguments)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments, new JsonDocumentOptions { MaxDepth = 32 });
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(arguments.Length);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.RootElement.WriteTo(writer);
            }

            return buffer.WrittenSpan.ToArray();
        }
        catch (JsonException)
        {
            return Encoding.UTF8.GetBytes(arguments);
        }
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: tool {Tool} failed ({Type}): {Message}")]
    private static partial void LogFailed(ILogger logger, string requestId, string tool, string type, string message);
}
