using System.Text.Json;
using HybridAI.Contracts.Common.V1;
using HybridAI.Contracts.Router.V1;
using HybridAI.Router.Catalogue;
using HybridAI.Router.OpenAi;
using HybridAI.Router.Policy;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Http;

/// <summary>OpenAI's chat request (plus the <c>hybridai</c> extension) to the contract's request, once, at the edge of the pipeline.</summary>
public static class ChatRequestMapper
{
    public static ChatCall ToCall(ChatCompletionRequestDto dto, Caller caller, string defaultModel)
    {
        if (dto.N is { } n && n != 1)
        {
            throw OpenAiException.InvalidRequest($"n must be 1 (one choice per request), but is {n}.", "n");
        }

        if (dto.Messages is null)
        {
            throw OpenAiException.InvalidRequest("messages is required.", "messages");
        }

        var request = new ChatCompletionRequest
        {
            Model = string.IsNullOrWhiteSpace(dto.Model) ? defaultModel : Text(dto.Model, "model").Trim(),
            User = Text(dto.User, "user"),
            ResponseFormatJson = ResponseFormat(dto.ResponseFormat),
            ToolChoice = Text(ToolChoice(dto.ToolChoice), "tool_choice"),
        };
        for (var i = 0; i < dto.Messages.Count; i++)
        {
            request.Messages.Add(Message(dto.Messages[i] ?? throw OpenAiException.InvalidRequest("must be a message object, not null.", $"messages[{i}]"), i));
        }

        if ((dto.MaxCompletionTokens ?? dto.MaxTokens) is { } max)
        {
            request.MaxTokens = max;
        }

        if (dto.Temperature is { } temperature)
        {
            request.Temperature = temperature;
        }

        if (dto.TopP is { } topP)
        {
            request.TopP = topP;
        }

        if (dto.Seed is { } seed)
        {
            request.Seed = unchecked((ulong)seed);
        }

        if (dto.Stop is { } stop)
        {
            if (stop.Any(s => s is null))
            {
                throw OpenAiException.InvalidRequest("stop must hold strings, not null.", "stop");
            }

            stop.ForEach(s => Text(s, "stop"));

            request.Stop.AddRange(stop);
        }

        if (dto.Metadata is { } metadata)
        {
            if (metadata.Any(m => m.Value is null))
            {
                throw OpenAiException.InvalidRequest("metadata values must be strings, not null.", "metadata");
            }

            foreach (var (key, value) in metadata)
            {
                Text(key, "metadata");
                Text(value, "metadata");
            }

            request.Metadata.Add(metadata);
        }

        for (var i = 0; i < (dto.Tools?.Count ?? 0); i++)
        {
            var tool = dto.Tools![i];
            if (tool is null || tool.Type != "function" || tool.Function is null)
            {
                throw OpenAiException.InvalidRequest("Only function tools are supported (type \"function\" with a function object).", $"tools[{i}]");
            }

            request.Tools.Add(new ToolDefinition
            {
                Name = Text(tool.Function.Name, $"tools[{i}].function.name"),
                Description = Text(tool.Function.Description, $"tools[{i}].function.description"),
                ParametersJsonSchema = tool.Function.Parameters is { ValueKind: not JsonValueKind.Null } p ? p.GetRawText() : "",
            });
        }

        if (dto.HybridAi is { } hybrid)
        {
            request.Constraints = Constraints(hybrid);
            request.ToolMode = Text(hybrid.Tools, "hybridai.tools");
            if (hybrid.ModelHint is { Length: > 0 } hint && (string.IsNullOrWhiteSpace(dto.Model) || dto.Model == VirtualModels.Auto))
            {
                request.Model = hint;
            }
        }

        return new ChatCall { Request = request, Caller = caller, Stream = dto.Stream, IncludeUsage = dto.StreamOptions?.IncludeUsage == true };
    }

    private static ChatMessage Message(ChatMessageDto dto, int index)
    {
        var message = new ChatMessage
        {
            Role = Text(dto.Role ?? throw OpenAiException.InvalidRequest("role is required.", $"messages[{index}].role"), $"messages[{index}].role"),
            Content = Text(dto.Content, $"messages[{index}].content"),
            Name = Text(dto.Name, $"messages[{index}].name"),
            ToolCallId = Text(dto.ToolCallId, $"messages[{index}].tool_call_id"),
        };
        foreach (var call in dto.ToolCalls ?? [])
        {
            if (call is null)
            {
                throw OpenAiException.InvalidRequest("must be a tool call object, not null.", $"messages[{index}].tool_calls");
            }

            var where = $"messages[{index}].tool_calls";
            message.ToolCalls.Add(new ToolCall { Id = Text(call.Id, where), Name = Text(call.Function?.Name, where), ArgumentsJson = Text(call.Function?.Arguments ?? "{}", where) });
        }

        return message;
    }

    private static RoutingConstraints Constraints(HybridAiRequestOptionsDto hybrid)
    {
        var constraints = new RoutingConstraints { ModelHint = hybrid.ModelHint ?? "" };
        if (hybrid.MaxCostUsd is { } cost)
        {
            constraints.MaxCostMicros = (long)Math.Round(cost * 1_000_000m, MidpointRounding.AwayFromZero);
        }

        if (hybrid.LatencySloMs is { } slo)
        {
            constraints.LatencySloMs = slo;
        }

        if (hybrid.QualityFloor is { } floor)
        {
            constraints.QualityFloor = floor;
        }

        if (hybrid.MinDataClass is { } minimum)
        {
            constraints.MinDataClass = DataClasses.TryParse(minimum, out var dataClass)
                ? dataClass
                : throw OpenAiException.InvalidRequest($"'{minimum}' is not a data class (public, internal, confidential, restricted).", "hybridai.min_data_class");
        }

        return constraints;
    }

    private static string ResponseFormat(JsonElement? format) =>
        format is { ValueKind: JsonValueKind.Object } f && !(f.TryGetProperty("type", out var type) && type.GetString() == "text") ? f.GetRawText() : "";

    private static string ToolChoice(JsonElement? choice)
    {
        try
        {
            return ToolChoiceName(choice);
        }
        catch (InvalidOperationException)
        {
            // JsonElement.GetString refuses escapes that are not valid UTF-16 (an unpaired surrogate).
            throw OpenAiException.InvalidRequest("tool_choice contains invalid Unicode text.", "tool_choice");
        }
    }

    private static string ToolChoiceName(JsonElement? choice) => choice switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var name) => name.GetString() ?? "",
        null or { ValueKind: JsonValueKind.Null } => "",
        _ => throw OpenAiException.InvalidRequest("tool_choice must be \"none\", \"auto\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}.", "tool_choice"),
    };

    /// <summary>
    /// The string, or "" for null; refuses text that is not valid UTF-16 (an unpaired surrogate, which JSON's \u escapes
    /// can express), because it cannot be encoded for the services behind the router.
    /// </summary>
    private static string Text(string? value, string param)
    {
        if (value is null)
        {
            return "";
        }

        if (value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 && HasUnpairedSurrogate(value))
        {
            throw OpenAiException.InvalidRequest("contains an unpaired UTF-16 surrogate (invalid Unicode text).", param);
        }

        return value;
    }

    private static bool HasUnpairedSurrogate(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return true;
            }
        }

        return false;
    }
}
