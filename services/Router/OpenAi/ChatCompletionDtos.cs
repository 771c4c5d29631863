using System.Text.Json;
using System.Text.Json.Serialization;

namespace HybridAI.Router.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c> request, as the OpenAI API defines it, plus the optional <c>hybridai</c>
/// extension object. Unknown fields are ignored, as OpenAI-compatible servers do.
/// </summary>
public sealed class ChatCompletionRequestDto
{
    public string? Model { get; set; }

    public List<ChatMessageDto>? Messages { get; set; }

    public int? MaxTokens { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public double? Temperature { get; set; }

    public double? TopP { get; set; }

    public int? N { get; set; }

    public bool Stream { get; set; }

    public StreamOptionsDto? StreamOptions { get; set; }

    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Stop { get; set; }

    public List<ToolDto>? Tools { get; set; }

    /// <summary>"none", "auto", "required", or <c>{"type":"function","function":{"name":…}}</c>.</summary>
    public JsonElement? ToolChoice { get; set; }

    public JsonElement? ResponseFormat { get; set; }

    public long? Seed { get; set; }

    public string? User { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    /// <summary>HybridAI's extension: routing constraints and options.</summary>
    [JsonPropertyName("hybridai")]
    public HybridAiRequestOptionsDto? HybridAi { get; set; }
}

public sealed class StreamOptionsDto
{
    public bool IncludeUsage { get; set; }
}

/// <summary>A message. <c>content</c> is a string or an array of parts; only text parts are supported.</summary>
public sealed class ChatMessageDto
{
    public string? Role { get; set; }

    [JsonConverter(typeof(MessageContentConverter))]
    public string? Content { get; set; }

    public string? Name { get; set; }

    public List<ToolCallDto>? ToolCalls { get; set; }

    public string? ToolCallId { get; set; }
}

public sealed class ToolDto
{
    public string Type { get; set; } = "function";

    public FunctionDto? Function { get; set; }
}

public sealed class FunctionDto
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public JsonElement? Parameters { get; set; }
}

public sealed class ToolCallDto
{
    public int? Index { get; set; }

    public string? Id { get; set; }

    public string Type { get; set; } = "function";

    public FunctionCallDto? Function { get; set; }
}

public sealed class FunctionCallDto
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}

/// <summary>The <c>hybridai</c> request extension: typed routing constraints.</summary>
public sealed class HybridAiRequestOptionsDto
{
    public decimal? MaxCostUsd { get; set; }

    public int? LatencySloMs { get; set; }

    public string? MinDataClass { get; set; }

    public double? QualityFloor { get; set; }

    public string? ModelHint { get; set; }

    /// <summary>"auto": HybridAI runs the tool loop with the tenant's registered and built-in tools; "client" (default): OpenAI's behaviour.</summary>
    public string? Tools { get; set; }
}

public sealed class ChatCompletionResponseDto
{
    public required string Id { get; init; }

    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "chat.completion";

    public long Created { get; init; }

    public required string Model { get; init; }

    public required List<ChoiceDto> Choices { get; init; }

    public UsageDto? Usage { get; init; }

    public string? SystemFingerprint { get; init; }

    [JsonPropertyName("hybridai")]
    public HybridAiDecisionDto? HybridAi { get; init; }
}

public sealed class ChoiceDto
{
    public int Index { get; init; }

    public ChatMessageDto? Message { get; init; }

    public string? FinishReason { get; init; }

    public object? Logprobs { get; init; }
}

public sealed class ChatCompletionChunkDto
{
    public required string Id { get; init; }

    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "chat.completion.chunk";

    public long Created { get; init; }

    public required string Model { get; init; }

    public required List<ChunkChoiceDto> Choices { get; init; }

    /// <summary>Present (and null) on every chunk when usage was requested; set on the last one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public UsageDto? Usage { get; init; }

    [JsonPropertyName("hybridai")]
    public HybridAiDecisionDto? HybridAi { get; init; }
}

public sealed class ChunkChoiceDto
{
    public int Index { get; init; }

    public required DeltaDto Delta { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? FinishReason { get; init; }
}

public sealed class DeltaDto
{
    public string? Role { get; init; }

    public string? Content { get; init; }

    public List<ToolCallDto>? ToolCalls { get; init; }
}

public sealed class UsageDto
{
    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    public int TotalTokens { get; init; }

    public PromptTokensDetailsDto? PromptTokensDetails { get; init; }
}

public sealed class PromptTokensDetailsDto
{
    public int CachedTokens { get; init; }
}

/// <summary>The routing decision, in every response body (and, as headers, on every response).</summary>
public sealed class HybridAiDecisionDto
{
    public required string Route { get; init; }

    public required string Model { get; init; }

    public required string Reason { get; init; }

    public List<string>? Reasons { get; init; }

    /// <summary>The policy rule that decided.</summary>
    public string? Rule { get; init; }

    /// <summary>faq, generate, llm, cache or blocked.</summary>
    public string? Answer { get; init; }

    public List<string>? Actions { get; init; }

    /// <summary>The LLM tier's fallback chain (empty for SLM and cache answers).</summary>
    public List<string>? Targets { get; init; }

    public bool CacheHit { get; init; }

    /// <summary>When blocked: why, as a code.</summary>
    public string? BlockCode { get; init; }

    public decimal CostUsd { get; init; }

    public decimal BaselineCostUsd { get; init; }

    public required string DataClass { get; init; }

    public string? RequestId { get; init; }

    public bool Cascaded { get; init; }

    public bool Fallback { get; init; }

    public bool Redacted { get; init; }

    public List<CitationDto>? Citations { get; init; }
}

public sealed class CitationDto
{
    public required string Collection { get; init; }

    public required string DocumentId { get; init; }

    public string? ChunkId { get; init; }

    public int? Start { get; init; }

    public int? End { get; init; }

    public double Score { get; init; }
}
