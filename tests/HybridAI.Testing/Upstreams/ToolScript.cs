using System.Text;
using System.Text.Json;

namespace HybridAI.Testing.Upstreams;

/// <summary>
/// Makes an in-test upstream's model call tools as a prompt scripts it. A user message containing
/// <c>[tools: get_order_status {"order_id":"A-1"} | get_shipping_eta {"order_id":"A-1"}]</c> gets, turn by turn, one
/// tool call per scripted step (ids <c>call_1</c>, <c>call_2</c>, …; the step is the number of tool messages already in
/// the conversation), and once every step has its result, a text answer that quotes each tool result
/// (<see cref="FinalPrefix"/>), so tests see what the model saw. Arguments are JSON without <c>]</c>; they may be any
/// text, including invalid JSON, to play a model that sends malformed arguments.
/// </summary>
public static class ToolScript
{
    public const string Marker = "[tools:";

    public const string FinalPrefix = "Tool results: ";

    /// <summary>The scripted reply for <paramref name="request"/>, or null when its messages carry no script.</summary>
    public static UpstreamReply? Reply(RecordedRequest request)
    {
        if (request.Json.ValueKind != JsonValueKind.Object || !request.Json.TryGetProperty("messages", out var messages))
        {
            return null;
        }

        string? script = null;
        var results = new List<string>();
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
            var content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() ?? "" : "";
            if (role == "user" && content.Contains(Marker, StringComparison.Ordinal))
            {
                script = content;
            }
            else if (role == "tool")
            {
                results.Add(content);
            }
        }

        if (script is null)
        {
            return null;
        }

        var steps = Steps(script);
        if (results.Count < steps.Count)
        {
            var (name, arguments) = steps[results.Count];
            return UpstreamReply.ToolCall(name, arguments, $"call_{results.Count + 1}");
        }

        var answer = new StringBuilder(FinalPrefix);
        for (var i = 0; i < results.Count; i++)
        {
            answer.Append(i == 0 ? "" : " || ").Append(results[i]);
        }

        return UpstreamReply.WithText(answer.ToString());
    }

    /// <summary>The scripted steps: tool name and raw arguments.</summary>
    public static IReadOnlyList<(string Name, string Arguments)> Steps(string text)
    {
        var start = text.IndexOf(Marker, StringComparison.Ordinal) + Marker.Length;
        var end = text.IndexOf(']', start);
        var body = end < 0 ? text[start..] : text[start..end];
        var steps = new List<(string, string)>();
        foreach (var part in body.Split(" | ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var space = part.IndexOf(' ', StringComparison.Ordinal);
            steps.Add(space < 0 ? (part, "{}") : (part[..space], part[(space + 1)..].Trim()));
        }

        return steps;
    }
}
