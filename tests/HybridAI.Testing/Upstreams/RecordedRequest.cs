using System.Text;
using System.Text.Json;

namespace HybridAI.Testing.Upstreams;

/// <summary>
/// A request an in-test upstream received, with how it was answered. Later tests assert what reached the upstream
/// (that PII never did, which model and key were used, that usage was requested) through <see cref="Body"/>,
/// <see cref="Json"/>, <see cref="Headers"/> and <see cref="AllText"/>.
/// </summary>
public sealed class RecordedRequest
{
    private int _chunksWritten;
    private int _aborted;
    private int _completed;

    public required int Index { get; init; }

    public required string Method { get; init; }

    /// <summary>Path and query, e.g. <c>/v1/chat/completions</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Request headers, case-insensitive; repeated headers joined with ", ".</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    public required string Body { get; init; }

    /// <summary>The body as JSON, or undefined when it is not JSON.</summary>
    public required JsonElement Json { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The reply that answered it.</summary>
    public UpstreamReply Reply { get; internal set; } = UpstreamReply.Default;

    public string? Model => Property("model")?.GetString();

    public bool Stream => Property("stream") is { ValueKind: JsonValueKind.True };

    /// <summary>OpenAI's <c>stream_options.include_usage</c>.</summary>
    public bool IncludeUsage =>
        Property("stream_options") is { ValueKind: JsonValueKind.Object } o
        && o.TryGetProperty("include_usage", out var u) && u.ValueKind == JsonValueKind.True;

    /// <summary>Every string in the request's <c>messages</c> and <c>system</c>: the text a model would have seen.</summary>
    public string AllText
    {
        get
        {
            var text = new StringBuilder();
            foreach (var name in new[] { "messages", "system", "tools" })
            {
                if (Property(name) is { } p)
                {
                    Collect(p, text);
                }
            }

            return text.ToString();
        }
    }

    /// <summary>Content chunks written so far (streams).</summary>
    public int ChunksWritten => Volatile.Read(ref _chunksWritten);

    /// <summary>The client went away (or the connection was reset) before the answer ended.</summary>
    public bool Aborted => Volatile.Read(ref _aborted) == 1;

    /// <summary>The answer was written to the end.</summary>
    public bool Completed => Volatile.Read(ref _completed) == 1;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    internal void ChunkWritten() => Interlocked.Increment(ref _chunksWritten);

    internal void MarkAborted() => Volatile.Write(ref _aborted, 1);

    internal void MarkCompleted() => Volatile.Write(ref _completed, 1);

    private JsonElement? Property(string name) =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) ? value : null;

    private static void Collect(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(element.GetString()).Append('\n');
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Collect(item, text);
                }

                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Collect(property.Value, text);
                }

                break;
        }
    }
}
