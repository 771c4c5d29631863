using System.Text.Json;
using Google.Protobuf.Collections;
using Microsoft.Extensions.AI;
using Proto = HybridAI.Contracts.Common.V1;

namespace HybridAI.LlmProxy.Requests;

/// <summary>Maps between the contract's OpenAI-shaped messages and Microsoft.Extensions.AI's.</summary>
internal static class MessageMapper
{
    public static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static List<ChatMessage> ToChatMessages(RepeatedField<Proto.ChatMessage> messages)
    {
        var result = new List<ChatMessage>(messages.Count);
        foreach (var m in messages)
        {
            var contents = new List<AIContent>(1 + m.ToolCalls.Count);
            if (m.Role == "tool")
            {
                contents.Add(new FunctionResultContent(m.ToolCallId, m.Content));
            }
            else if (m.Content.Length > 0)
            {
                contents.Add(new TextContent(m.Content));
            }

            foreach (var call in m.ToolCalls)
            {
                contents.Add(new FunctionCallContent(call.Id, call.Name, ParseArguments(call.ArgumentsJson)));
            }

            result.Add(new ChatMessage(Role(m.Role), contents) { AuthorName = m.Name.Length > 0 ? m.Name : null });
        }

        return result;
    }

    public static Dictionary<string, object?> ParseArguments(string json) =>
        json.Length == 0
            ? []
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions) ?? [];

    /// <summary>
    /// Why a call's arguments could not be read, or "" when they could. Microsoft.Extensions.AI parses the model's
    /// argument text and keeps only the failure (<see cref="FunctionCallContent.Exception"/>), so the text itself is gone;
    /// the reason lets the tool loop tell the model its arguments were not JSON rather than that fields are missing.
    /// </summary>
    public static string ArgumentsError(FunctionCallContent call)
    {
        if (call.Exception is not { } e)
        {
            return "";
        }

        var reason = (e.InnerException ?? e).Message;
        var path = reason.IndexOf(" Path:", StringComparison.Ordinal);
        return path > 0 ? reason[..path] : reason;
    }

    public static string SerializeArguments(IDictionary<string, object?>? arguments) =>
        arguments is null ? "{}" : JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));

    public static string FinishReason(ChatFinishReason? reason) => reason switch
    {
        null => "",
        { } r when r == ChatFinishReason.Stop => "stop",
        { } r when r == ChatFinishReason.Length => "length",
        { } r when r == ChatFinishReason.ToolCalls => "tool_calls",
        { } r when r == ChatFinishReason.ContentFilter => "content_filter",
        { } r => r.Value,
    };

    private static ChatRole Role(string role) => role switch
    {
        "system" or "developer" => ChatRole.System,
        "assistant" => ChatRole.Assistant,
        "tool" => ChatRole.Tool,
        _ => ChatRole.User,
    };
}
