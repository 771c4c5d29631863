using HybridAI.Router.OpenAi;
using HybridAI.Router.Pipeline;
using HybridAI.Router.Requests;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp.Tools;

/// <summary><c>extract</c>: PII and entity extraction in the router's process (<c>POST /v1/hybrid/extract</c>).</summary>
public sealed class ExtractTool(IHttpContextAccessor http, McpTelemetry telemetry, LocalCapabilities local)
    : RouterTool(http, telemetry, "extract", "Extract PII and entities locally",
        "Finds personal and sensitive data in a text with HybridAI's local detectors (the text never leaves the " +
        "infrastructure): each finding's type (email, phone, iban, credit_card, person, …), character span and score, the " +
        "text's data class (public, internal, confidential, restricted), and, with redact true, the text with every finding " +
        "replaced by a placeholder such as [EMAIL_1].",
        """
        {
          "type": "object",
          "properties": {
            "text": { "type": "string", "minLength": 1, "maxLength": 100000, "description": "The text to scan." },
            "redact": { "type": "boolean", "default": false, "description": "Also return the text with every finding replaced by a placeholder." }
          },
          "required": ["text"],
          "additionalProperties": false
        }
        """, McpJsonContext.Default.ExtractResponseDto, readOnly: true)
{
    protected override Task<CallToolResult> ExecuteAsync(Caller caller, ToolArguments arguments, CancellationToken cancellationToken)
    {
        var text = arguments.Text("text", required: true, 100_000);
        var redact = arguments.Flag("redact") ?? false;
        arguments.ThrowIfInvalid();
        var (findings, dataClass, redacted) = local.Extract(text!, redact);
        return Task.FromResult(ToolResults.Success(ExtractResponseDto.From(findings, dataClass, redacted), McpJsonContext.Default.ExtractResponseDto));
    }
}
