using System.Text.Json;
using System.Text.RegularExpressions;
using HybridAI.Contracts.Llm.V1;
using Microsoft.Extensions.AI;

namespace HybridAI.LlmProxy.Requests;

/// <summary>Field rules of a completion request, each problem reported as (field, description).</summary>
internal static partial class RequestRules
{
    private const int MaxStopSequences = 16;

    public static void CheckMessages(CompletionRequest request, List<(string, string)> violations)
    {
        if (request.Messages.Count == 0)
        {
            violations.Add(("messages", "at least one message is required"));
        }

        for (var i = 0; i < request.Messages.Count; i++)
        {
            var m = request.Messages[i];
            if (!MessageMapper.Roles.Contains(m.Role, StringComparer.Ordinal))
            {
                violations.Add(($"messages[{i}].role", $"must be one of {string.Join(", ", MessageMapper.Roles)}, but is '{m.Role}'"));
            }

            if (m.Role == "tool" && m.ToolCallId.Length == 0)
            {
                violations.Add(($"messages[{i}].tool_call_id", "is required for role 'tool'"));
            }

            if (m.ToolCalls.Count > 0 && m.Role != "assistant")
            {
                violations.Add(($"messages[{i}].tool_calls", "only assistant messages carry tool calls"));
            }

            for (var j = 0; j < m.ToolCalls.Count; j++)
            {
                var call = m.ToolCalls[j];
                if (call.Id.Length == 0 || call.Name.Length == 0)
                {
                    violations.Add(($"messages[{i}].tool_calls[{j}]", "needs an id and a name"));
                }

                if (JsonObjectProblem(call.ArgumentsJson, allowEmpty: true) is { } problem)
                {
                    violations.Add(($"messages[{i}].tool_calls[{j}].arguments_json", problem));
                }
            }
        }
    }

    public static void CheckSampling(CompletionRequest request, List<(string, string)> violations)
    {
        if (request.HasMaxTokens && request.MaxTokens < 1)
        {
            violations.Add(("max_tokens", $"must be at least 1, but is {request.MaxTokens}"));
        }

        if (request.HasTemperature && request.Temperature is < 0 or > 2 or double.NaN)
        {
            violations.Add(("temperature", $"must be between 0 and 2, but is {request.Temperature}"));
        }

        if (request.HasTopP && !(request.TopP > 0 && request.TopP <= 1))
        {
            violations.Add(("top_p", $"must be in (0, 1], but is {request.TopP}"));
        }

        if (request.Stop.Count > MaxStopSequences)
        {
            violations.Add(("stop", $"at most {MaxStopSequences} stop sequences, but {request.Stop.Count} were given"));
        }

        if (request.Stop.Any(s => s.Length == 0))
        {
            violations.Add(("stop", "stop sequences must not be empty"));
        }
    }

    /// <summary>Tool declarations as Microsoft.Extensions.AI tools; problems in names, schemas and tool_choice.</summary>
    public static List<AITool>? CheckTools(CompletionRequest request, List<(string, string)> violations)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var tools = new List<AITool>(request.Tools.Count);
        for (var i = 0; i < request.Tools.Count; i++)
        {
            var tool = request.Tools[i];
            if (!ToolName().IsMatch(tool.Name))
            {
                violations.Add(($"tools[{i}].name", $"must be 1-64 letters, digits, '_' or '-', but is '{tool.Name}'"));
            }
            else if (!names.Add(tool.Name))
            {
                violations.Add(($"tools[{i}].name", $"'{tool.Name}' is declared more than once"));
            }

            var schemaText = tool.ParametersJsonSchema.Length == 0 ? """{"type":"object","properties":{}}""" : tool.ParametersJsonSchema;
            if (SchemaProblem(schemaText) is { } problem)
            {
                violations.Add(($"tools[{i}].parameters_json_schema", problem));
                continue;
            }

            using var schema = JsonDocument.Parse(schemaText);
            tools.Add(AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, schema.RootElement.Clone()));
        }

        var choice = request.ToolChoice;
        if (choice is not ("" or "auto" or "none"))
        {
            if (request.Tools.Count == 0)
            {
                violations.Add(("tool_choice", $"'{choice}' needs tools, but none are declared"));
            }
            else if (choice != "required" && !names.Contains(choice))
            {
                violations.Add(("tool_choice", $"must be auto, none, required or a declared tool's name, but is '{choice}'"));
            }
        }

        return tools.Count > 0 ? tools : null;
    }

    /// <summary>
    /// <c>response_format_json</c> is OpenAI's response_format object: <c>{"type":"text"}</c>,
    /// <c>{"type":"json_object"}</c> or <c>{"type":"json_schema","json_schema":{"name":…,"schema":{…}}}</c>.
    /// </summary>
    public static ChatResponseFormat? CheckResponseFormat(string json, List<(string, string)> violations)
    {
        const string Field = "response_format_json";
        if (json.Length == 0)
        {
            return null;
        }

        if (JsonObjectProblem(json, allowEmpty: false) is { } problem)
        {
            violations.Add((Field, problem));
            return null;
        }

        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                if (!root.TryGetProperty("json_schema", out var js) || js.ValueKind != JsonValueKind.Object
                    || !js.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    violations.Add((Field, "type json_schema needs json_schema.schema, a JSON Schema object"));
                    return null;
                }

                var name = js.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                var description = js.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return ChatResponseFormat.ForJsonSchema(schema.Clone(), name, description);
            default:
                violations.Add((Field, $"type must be text, json_object or json_schema, but is '{type}'"));
                return null;
        }
    }

    private static string? SchemaProblem(string schema)
    {
        if (JsonObjectProblem(schema, allowEmpty: false) is { } problem)
        {
            return problem;
        }

        using var doc = JsonDocument.Parse(schema);
        var root = doc.RootElement;
        if (root.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "object"))
        {
            return $"a tool's parameters must be a schema of type 'object', but type is {type.GetRawText()}";
        }

        if (root.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Object)
        {
            return "'properties' must be an object";
        }

        if (root.TryGetProperty("required", out var required)
            && (required.ValueKind != JsonValueKind.Array || required.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String)))
        {
            return "'required' must be an array of property names";
        }

        return null;
    }

    private static string? JsonObjectProblem(string json, bool allowEmpty)
    {
        if (json.Length == 0)
        {
            return allowEmpty ? null : "must be a JSON object, but is empty";
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? null : $"must be a JSON object, but is a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}";
        }
        catch (JsonException e)
        {
            return $"is not valid JSON ({e.Message})";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
