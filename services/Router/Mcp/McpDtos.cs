using System.Text.Json.Serialization;
using HybridAI.Router.OpenAi;

namespace HybridAI.Router.Mcp;

/// <summary><c>ask</c>: the routed answer, its usage and the decision (the <c>hybridai</c> object, with the receipt's request id).</summary>
public sealed class AskResultDto
{
    public required string Answer { get; init; }

    public required string FinishReason { get; init; }

    public required string Model { get; init; }

    public required UsageDto Usage { get; init; }

    [JsonPropertyName("hybridai")]
    public required HybridAiDecisionDto HybridAi { get; init; }
}

/// <summary><c>search_collection</c>: the best chunks of one of the tenant's collections.</summary>
public sealed class SearchResultDto
{
    public required string Collection { get; init; }

    public required List<SearchHitDto> Results { get; init; }

    /// <summary>The highest sensitivity label among the results (public when there are none).</summary>
    public required string HighestLabel { get; init; }
}

public sealed class SearchHitDto
{
    public required string DocumentId { get; init; }

    public required string ChunkId { get; init; }

    public string? Title { get; init; }

    public required string Text { get; init; }

    public double Score { get; init; }

    public double VectorScore { get; init; }

    public double KeywordScore { get; init; }

    public required string Label { get; init; }

    public int Start { get; init; }

    public int End { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }
}

/// <summary><c>match_faq</c>: the best FAQ pair, if one scores above its collection's threshold.</summary>
public sealed class FaqMatchResultDto
{
    public bool Matched { get; init; }

    /// <summary>The collections that were searched.</summary>
    public required List<string> Collections { get; init; }

    public FaqMatchDto? Match { get; init; }

    /// <summary>The score at which the router answers from the FAQ instead of a model (the policy's <c>faq_score</c>).</summary>
    public double AnswerThreshold { get; init; }

    /// <summary>Whether the match reaches <see cref="AnswerThreshold"/>: where the policy routes a question to the FAQ, it is answered from this pair.</summary>
    public bool AboveAnswerThreshold { get; init; }
}

public sealed class FaqMatchDto
{
    public required string Id { get; init; }

    public required string Collection { get; init; }

    public required string Question { get; init; }

    public required string Answer { get; init; }

    public double Score { get; init; }

    public required string Label { get; init; }
}

/// <summary>A failed tool call's structured content: OpenAI's error object, and the decision when routing made one.</summary>
public sealed class ToolErrorDto
{
    public required ErrorDto Error { get; init; }

    [JsonPropertyName("hybridai")]
    public HybridAiDecisionDto? HybridAi { get; init; }
}

/// <summary>Source-generated JSON for the MCP tools' results: snake_case like the HTTP API, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AskResultDto))]
[JsonSerializable(typeof(SearchResultDto))]
[JsonSerializable(typeof(FaqMatchResultDto))]
[JsonSerializable(typeof(ToolErrorDto))]
[JsonSerializable(typeof(ExplainResponseDto))]
[JsonSerializable(typeof(ClassifyResponseDto))]
[JsonSerializable(typeof(ExtractResponseDto))]
public sealed partial class McpJsonContext : JsonSerializerContext;
