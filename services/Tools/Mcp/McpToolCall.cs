using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace HybridAI.Tools.Mcp;

/// <summary>Calls one tool and turns its result into the text a model reads.</summary>
public static class McpToolCall
{
    /// <summary>
    /// Calls <paramref name="tool"/> with <paramref name="arguments"/> (a JSON object). Text blocks are joined; other
    /// content (images, audio, resources) is named but not passed on, since the chat API carries text; a result with only
    /// structured content gives its JSON. <see cref="ToolResult.IsError"/> is the server's own error flag.
    /// </summary>
    public static async Task<ToolResult> CallAsync(McpClient client, string tool, JsonElement arguments, CancellationToken cancellationToken)
    {
        var parameters = new CallToolRequestParams
        {
            Name = tool,
            Arguments = arguments.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
        };
        var result = await client.CallToolAsync(parameters, cancellationToken);
        var text = new StringBuilder();
        foreach (var block in result.Content ?? [])
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            text.Append(block is TextContentBlock t ? t.Text : $"[{block.Type} content omitted]");
        }

        if (text.Length == 0 && result.StructuredContent is { } structured)
        {
            text.Append(structured.ToString());
        }

        return new ToolResult(text.ToString(), result.IsError == true);
    }
}

/// <summary>A tool's answer as text, and whether the tool itself reported an error.</summary>
public sealed record ToolResult(string Text, bool IsError);
