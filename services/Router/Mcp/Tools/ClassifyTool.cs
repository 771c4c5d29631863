using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Requests;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp.Tools;

/// <summary><c>classify</c>: one of slm-inference's classification heads on a text (<c>POST /v1/hybrid/classify</c>).</summary>
public sealed class ClassifyTool(IHttpContextAccessor http, McpTelemetry telemetry, LocalCapabilities local)
    : RouterTool(http, telemetry, "classify", "Classify text locally",
        "Classifies a text with one of HybridAI's local classification heads (small models inside the infrastructure; the " +
        "text never leaves it): intent (the customer-service intent), needs-llm (whether a small model can answer), guard " +
        "(prompt-injection and jailbreak), or a head the operator added. Returns the winning label, its confidence and every " +
        "label's score. An unknown head is an error naming it.",
        """
        {
          "type": "object",
          "properties": {
            "text": { "type": "string", "minLength": 1, "maxLength": 20000, "description": "The text to classify." },
            "head": { "type": "string", "minLength": 1, "maxLength": 100, "description": "The classification head: intent, needs-llm, guard, or an operator-defined head." }
          },
          "required": ["text", "head"],
          "additionalProperties": false
        }
        """, McpJsonContext.Default.ClassifyResponseDto, readOnly: true)
{
    protected override async Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var text = arguments.Text("text", required: true, 20_000);
        var head = arguments.Text("head", required: true, 100);
        arguments.ThrowIfInvalid();
        var result = await local.ClassifyAsync(head!, text!, cancellationToken);
        return ToolResults.Success(new ClassifyResponseDto
        {
            Head = result.Head,
            Label = result.Label,
            Confidence = result.Confidence,
            Scores = [.. result.Scores.Select(s => new LabelScoreDto { Label = s.Label, Score = s.Score })],
        }, McpJsonContext.Default.ClassifyResponseDto);
    }
}
