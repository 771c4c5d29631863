using System.Text.Json.Serialization;

namespace HybridAI.Router.OpenAi;

/// <summary><c>POST /v1/hybrid/feedback</c>: a rating of a routed response.</summary>
public sealed class FeedbackRequestDto
{
    public string? ResponseId { get; set; }

    /// <summary>-1 (worse), 0 (neutral) or 1 (good).</summary>
    public int? Rating { get; set; }

    public string? Comment { get; set; }
}

public sealed class FeedbackResponseDto
{
    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "hybrid.feedback";

    public required string ResponseId { get; init; }

    public int Rating { get; init; }

    /// <summary>An earlier rating of the same response was replaced.</summary>
    public bool Replaced { get; init; }
}
