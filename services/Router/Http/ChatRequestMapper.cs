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
            Model = string.IsNullOrWhiteSpace(dto.Model) ? defaultModel : dto.Model.Trim(),
            User = dto.User ?? "",
            ResponseFormatJson = ResponseFormat(dto.ResponseFormat),
            ToolChoice = ToolChoice(dto.ToolChoice),
        };
        for (var i = 0; i < dto.Messages.Count; i++)
        {
            request.Messages.Add(Message(dto.Messages[i], i));
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

        request.Stop.AddRange(dto.Stop ?? []);
        if (dto.Metadata is { } metadata)
        {
            request.Metadata.Add(metadata);
        }

        for (var i = 0; i < (dto.Tools?.Count ?? 0); i++)
        {
            var tool = dto.Tools![i];
            if (tool.Type != "function" || tool.Function is null)
            {
                throw OpenAiException.InvalidRequest("Only function tools are supported (type \"function\" with a function object).", $"tools[{i}]");
            }

            request.Tools.Add(new ToolDefinition
            {
                Name = tool.Function.Name ?? "",
                Description = tool.Function.Description ?? "",
                ParametersJsonSchema = tool.Function.Parameters is { ValueKind: not JsonValueKind.Null } p ? p.GetRawText() : "",
            });
        }

        if (dto.HybridAi is { } hybrid)
        {
            request.Constraints = Constraints(hybrid);
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
            Role = dto.Role ?? throw OpenAiException.InvalidRequest("role is required.", $"messages[{index}].role"),
            Content = dto.Content ?? "",
            Name = dto.Name ?? "",
            ToolCallId = dto.ToolCallId ?? "",
        };
        foreach (var call in dto.ToolCalls ?? [])
        {
            message.ToolCalls.Add(new ToolCall { Id = call.Id ?? "", Name = call.Function?.Name ?? "", ArgumentsJson = call.Function?.Arguments ?? "{}" });
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

    private static string ToolChoice(JsonElement? choice) => choice switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString() ?? "",
        { ValueKind: JsonValueKind.Object } o when o.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var name) => name.GetString() ?? "",
        null or { ValueKind: JsonValueKind.Null } => "",
        _ => throw OpenAiException.InvalidRequest("tool_choice must be \"none\", \"auto\", \"required\" or {\"type\":\"function\",\"function\":{\"name\":…}}.", "tool_choice"),
    };
}
