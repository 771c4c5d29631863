using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HybridAI.Router.OpenAi;

/// <summary>OpenAI fields that take a string or an array of strings (<c>stop</c>, embeddings <c>input</c>).</summary>
public sealed class StringOrArrayConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("expected an array of strings");
                    }

                    list.Add(reader.GetString()!);
                }

                return list;
            default:
                throw new JsonException("expected a string or an array of strings");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// Message <c>content</c>: a string, or an array of content parts of which text parts are joined. Non-text parts
/// (images, audio) are refused with a clear error rather than silently dropped.
/// </summary>
public sealed class MessageContentConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.StartArray:
                var text = new StringBuilder();
                using (var parts = JsonDocument.ParseValue(ref reader))
                {
                    foreach (var part in parts.RootElement.EnumerateArray())
                    {
                        var type = part.TryGetProperty("type", out var t) ? t.GetString() : null;
                        if (type != "text" || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
                        {
                            throw new JsonException($"content part of type '{type}' is not supported; only text parts are");
                        }

                        text.Append(value.GetString());
                    }
                }

                return text.ToString();
            default:
                throw new JsonException("content must be a string or an array of content parts");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
