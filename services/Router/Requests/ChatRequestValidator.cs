using System.Globalization;
using System.Text.Json;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Errors;

namespace HybridAI.Router.Requests;

/// <summary>
/// Checks a chat request before anything runs, and names every problem by its field in the API's own names
/// (<c>messages[2].role</c>), so a 400 or INVALID_ARGUMENT says exactly what to fix.
/// </summary>
public static class ChatRequestValidator
{
    public static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static void Validate(ChatCompletionRequest request)
    {
        var problems = Problems(request).ToList();
        if (problems.Count > 0)
        {
            var message = problems.Count == 1
                ? $"{problems[0].Field}: {problems[0].Message}"
                : $"The request has {problems.Count} problems: " + string.Join("; ", problems.Select(p => $"{p.Field}: {p.Message}"));
            throw new RoutingException(FailureKind.InvalidArgument, "invalid_request", message, problems[0].Field) { Problems = problems };
        }
    }

    public static IEnumerable<(string Field, string Message)> Problems(ChatCompletionRequest request)
    {
        if (request.Messages.Count == 0)
        {
            yield return ("messages", "must contain at least one message.");
        }

        var callIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var m = request.Messages[i];
            if (!Roles.Contains(m.Role, StringComparer.Ordinal))
            {
                yield return ($"messages[{i}].role", $"must be one of {string.Join(", ", Roles)}, but is '{m.Role}'.");
            }

            if (m.Role == "tool" && m.ToolCallId.Length == 0)
            {
                yield return ($"messages[{i}].tool_call_id", "is required on tool messages.");
            }

            if (m.Role == "tool" && m.ToolCallId.Length > 0 && !callIds.Contains(m.ToolCallId))
            {
                yield return ($"messages[{i}].tool_call_id", $"'{m.ToolCallId}' answers no tool call of an earlier assistant message.");
            }

            for (var j = 0; j < m.ToolCalls.Count; j++)
            {
                var call = m.ToolCalls[j];
                callIds.Add(call.Id);
                if (call.Name.Length == 0)
                {
                    yield return ($"messages[{i}].tool_calls[{j}].function.name", "is required.");
                }

                if (!IsJsonObject(call.ArgumentsJson))
                {
                    yield return ($"messages[{i}].tool_calls[{j}].function.arguments", "must be a JSON object.");
                }
            }

            if (m.Role is "user" or "system" or "developer" && m.Content.Length == 0)
            {
                yield return ($"messages[{i}].content", "must not be empty.");
            }
        }

        if (request.HasMaxTokens && request.MaxTokens < 1)
        {
            yield return ("max_tokens", $"must be at least 1, but is {request.MaxTokens}.");
        }

        if (request.HasTemperature && request.Temperature is < 0 or > 2)
        {
            yield return ("temperature", $"must be between 0 and 2, but is {Format(request.Temperature)}.");
        }

        if (request.HasTopP && request.TopP is <= 0 or > 1)
        {
            yield return ("top_p", $"must be in (0, 1], but is {Format(request.TopP)}.");
        }

        if (request.Stop.Count > 4 || request.Stop.Any(s => s.Length == 0))
        {
            yield return ("stop", "takes at most 4 non-empty sequences.");
        }

        for (var i = 0; i < request.Tools.Count; i++)
        {
            var tool = request.Tools[i];
            if (tool.Name.Length is 0 or > 64 || !tool.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                yield return ($"tools[{i}].function.name", "must be 1-64 letters, digits, underscores or hyphens.");
            }

            if (tool.ParametersJsonSchema.Length > 0 && !IsJsonObject(tool.ParametersJsonSchema))
            {
                yield return ($"tools[{i}].function.parameters", "must be a JSON Schema object.");
            }
        }

        if (request.ToolChoice is { Length: > 0 } choice && choice is not ("auto" or "none" or "required")
            && !request.Tools.Any(t => t.Name == choice))
        {
            yield return ("tool_choice", $"names '{choice}', which is not among the request's tools.");
        }

        if (request.ToolMode is not ("" or "auto" or "client"))
        {
            yield return ("hybridai.tools", $"must be \"auto\" (HybridAI runs the tools) or \"client\" (tool calls go back to the caller), but is '{request.ToolMode}'.");
        }

        if (request.ResponseFormatJson.Length > 0 && !IsJsonObject(request.ResponseFormatJson))
        {
            yield return ("response_format", "must be a JSON object.");
        }

        if (request.Constraints is { } c)
        {
            if (c.HasMaxCostMicros && c.MaxCostMicros < 0)
            {
                yield return ("hybridai.max_cost_usd", "must not be negative.");
            }

            if (c.HasLatencySloMs && c.LatencySloMs <= 0)
            {
                yield return ("hybridai.latency_slo_ms", "must be positive.");
            }

            if (c.HasQualityFloor && c.QualityFloor is < 0 or > 1)
            {
                yield return ("hybridai.quality_floor", $"must be between 0 and 1, but is {Format(c.QualityFloor)}.");
            }
        }
    }

    private static bool IsJsonObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
