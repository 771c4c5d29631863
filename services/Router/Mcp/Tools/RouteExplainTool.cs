using HybridAI.Router.Http;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Requests;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp.Tools;

/// <summary><c>route_explain</c>: the signals and the decision for a prompt, nothing executed (<c>POST /v1/hybrid/explain</c>).</summary>
public sealed class RouteExplainTool(IHttpContextAccessor http, McpTelemetry telemetry, RoutingPipeline pipeline, RequestGate gate, IOptions<RouterOptions> options)
    : RouterTool(http, telemetry, "route_explain", "Explain routing",
        "Shows how HybridAI would route a prompt without running it: the signals it measured (token count, intent and its " +
        "confidence, the probability that the prompt needs an LLM, prompt-injection score, data class, PII findings, FAQ score) " +
        "and the decision (route slm/llm/blocked, model, the rule that decided, every reason, candidate targets, the worst-case " +
        "cost the budget would reserve). No model is called, no budget is reserved and no receipt is written.",
        $$"""
        {
          "type": "object",
          "properties": {
            {{ChatArguments.SchemaProperties()}}
          },
          "required": ["prompt"],
          "additionalProperties": false
        }
        """, McpJsonContext.Default.ExplainResponseDto, readOnly: true)
{
    protected override async Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var request = ChatArguments.Read(arguments, options.Value.DefaultModel);
        arguments.ThrowIfInvalid();
        using var slot = await gate.EnterAsync(cancellationToken);
        var explanation = await pipeline.ExplainAsync(ChatArguments.Call(request, caller), cancellationToken);
        return ToolResults.Success(new ExplainResponseDto
        {
            Signals = DecisionMapper.ToDto(explanation.Signals),
            Decision = DecisionMapper.ToDto(explanation.Decision, caller.RequestId),
            ReserveCostUsd = explanation.ReserveMicros / 1_000_000m,
        }, McpJsonContext.Default.ExplainResponseDto);
    }
}
