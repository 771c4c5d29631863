using System.Text.Json.Serialization;

namespace HybridAI.Router.OpenAi;

/// <summary><c>POST /v1/embeddings</c> request.</summary>
public sealed class EmbeddingsRequestDto
{
    [JsonConverter(typeof(StringOrArrayConverter))]
    public List<string>? Input { get; set; }

    public string? Model { get; set; }

    /// <summary>"float" (default) or "base64" (little-endian float32, as OpenAI encodes it).</summary>
    public string? EncodingFormat { get; set; }

    public int? Dimensions { get; set; }

    public string? User { get; set; }
}

public sealed class EmbeddingsResponseDto
{
    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "list";

    public required List<EmbeddingDto> Data { get; init; }

    public required string Model { get; init; }

    public required EmbeddingsUsageDto Usage { get; init; }
}

public sealed class EmbeddingDto
{
    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "embedding";

    public int Index { get; init; }

    /// <summary>A float array, or a base64 string when <c>encoding_format</c> is base64.</summary>
    public required object Embedding { get; init; }
}

public sealed class EmbeddingsUsageDto
{
    public int PromptTokens { get; init; }

    public int TotalTokens { get; init; }
}

/// <summary><c>GET /v1/models</c>.</summary>
public sealed class ModelListDto
{
    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "list";

    public required List<ModelDto> Data { get; init; }
}

public sealed class ModelDto
{
    public required string Id { get; init; }

    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "model";

    public long Created { get; init; }

    public required string OwnedBy { get; init; }

    /// <summary>HybridAI: virtual, llm, embedding.</summary>
    public string? Kind { get; init; }

    public string? Description { get; init; }

    /// <summary>HybridAI: runs on infrastructure the operator controls.</summary>
    public bool? Local { get; init; }
}

/// <summary>OpenAI's error envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed class ErrorResponseDto
{
    public required ErrorDto Error { get; init; }

    /// <summary>The routing decision, when routing got far enough to make one (blocked requests).</summary>
    [JsonPropertyName("hybridai")]
    public HybridAiDecisionDto? HybridAi { get; init; }
}

public sealed class ErrorDto
{
    public required string Message { get; init; }

    public required string Type { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; init; }
}
