using System.Text.Json.Serialization;

namespace HybridAI.Router.OpenAi;

/// <summary>Source-generated JSON for the OpenAI-compatible API: snake_case, nulls omitted, no reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ChatCompletionRequestDto))]
[JsonSerializable(typeof(ChatCompletionResponseDto))]
[JsonSerializable(typeof(ChatCompletionChunkDto))]
[JsonSerializable(typeof(EmbeddingsRequestDto))]
[JsonSerializable(typeof(EmbeddingsResponseDto))]
[JsonSerializable(typeof(float[]))]
[JsonSerializable(typeof(ModelListDto))]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(ErrorResponseDto))]
[JsonSerializable(typeof(StreamErrorDto))]
[JsonSerializable(typeof(ExplainResponseDto))]
[JsonSerializable(typeof(ClassifyRequestDto))]
[JsonSerializable(typeof(ClassifyResponseDto))]
[JsonSerializable(typeof(ExtractRequestDto))]
[JsonSerializable(typeof(ExtractResponseDto))]
[JsonSerializable(typeof(FeedbackRequestDto))]
[JsonSerializable(typeof(FeedbackResponseDto))]
public sealed partial class OpenAiJsonContext : JsonSerializerContext;
