using HybridAI.Router.Http;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp.Tools;

/// <summary>
/// <c>ask</c>: a chat completion routed through the whole pipeline, exactly as <c>POST /v1/chat/completions</c> routes
/// it: the tenant's policy, PII handling, budget reservation, cache, retrieval, cascade and fallback apply, and a
/// receipt is recorded under the returned request id.
/// </summary>
public sealed class AskTool(IHttpContextAccessor http, McpTelemetry telemetry, RoutingPipeline pipeline, RequestGate gate, IOptions<RouterOptions> options)
    : RouterTool(http, telemetry, "ask", "Ask HybridAI",
        "Answers a prompt with the model HybridAI's routing policy chooses: a local small model or FAQ answer when that suffices, " +
        "an external LLM otherwise. Budgets, the tenant's policy, PII redaction and the response cache apply, and every answer " +
        "is recorded in a routing receipt. The result holds the answer, the token usage and the routing decision (route, model, " +
        "reasons, cost in USD, data class, citations and the request id of the receipt).",
        $$"""
        {
          "type": "object",
          "properties": {
            {{ChatArguments.SchemaProperties("""
            ,
            "temperature": { "type": "number", "minimum": 0, "maximum": 2, "description": "Sampling temperature (the target's default when absent)." }
            """)}}
          },
          "required": ["prompt"],
          "additionalProperties": false
        }
        """, McpJsonContext.Default.AskResultDto, readOnly: false, openWorld: true)
{
    protected override async Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var request = ChatArguments.Read(arguments, options.Value.DefaultModel);
        var temperature = arguments.Number("temperature", required: false, 0, 2);
        arguments.ThrowIfInvalid();
        if (temperature is { } t)
        {
            request.Temperature = t;
        }

        using var slot = await gate.EnterAsync(cancellationToken);
        var result = await pipeline.CompleteAsync(ChatArguments.Call(request, caller), cancellationToken);
        return ToolResults.Success(new AskResultDto
        {
            Answer = result.Message.Content,
            FinishReason = result.FinishReason,
            Model = result.Model,
            Usage = ChatResponseMapper.Usage(result.Usage),
            HybridAi = DecisionMapper.ToDto(result.Decision, caller.RequestId, result.Citations),
        }, McpJsonContext.Default.AskResultDto);
    }
}
