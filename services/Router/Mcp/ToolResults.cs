using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HybridAI.Router.OpenAi;
using ModelContextProtocol.Protocol;

namespace HybridAI.Router.Mcp;

/// <summary>
/// Tool results as MCP carries them: the JSON as text content (what every client shows a model) and the same object as
/// <c>structuredContent</c> (what programs read). Failures are results with <c>isError</c>, so the model sees why.
/// </summary>
public static class ToolResults
{
    public static CallToolResult Success<T>(T value, JsonTypeInfo<T> type)
    {
        var element = JsonSerializer.SerializeToElement(value, type);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = element.GetRawText() }],
            StructuredContent = element,
        };
    }

    /// <summary>A failure: the text is the message a model can act on; the structured content is OpenAI's error object.</summary>
    public static CallToolResult Error(OpenAiException error, HybridAiDecisionDto? decision = null)
    {
        var dto = new ToolErrorDto
        {
            Error = new ErrorDto { Message = error.Message, Type = error.Type, Param = error.Param, Code = error.Code },
            HybridAi = decision,
        };
        var retry = error.RetryAfterSeconds is { } seconds ? $" Retry after {seconds} s." : "";
        return new CallToolResult
        {
            IsError = true,
            Content = [new TextContentBlock { Text = $"{error.Code ?? error.Type}: {error.Message}{retry}" }],
            StructuredContent = JsonSerializer.SerializeToElement(dto, McpJsonContext.Default.ToolErrorDto),
        };
    }
}
