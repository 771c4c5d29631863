using System.Buffers;
using System.Text.Json.Serialization.Metadata;

namespace HybridAI.Router.OpenAi;

/// <summary>
/// OpenAI's streaming wire format: <c>data: {json}\n\n</c> per chunk, <c>data: [DONE]\n\n</c> at the end, each
/// flushed as it is written so tokens reach the client (through the edge, unbuffered) as they are produced.
/// </summary>
public sealed class ServerSentEvents(HttpResponse response)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public bool Started => response.HasStarted;

    public void Start()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    public async ValueTask WriteAsync<T>(T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        writer.Write(DataPrefix);
        using (var json = new System.Text.Json.Utf8JsonWriter(writer))
        {
            System.Text.Json.JsonSerializer.Serialize(json, value, type);
        }

        writer.Write(EventEnd);
        await writer.FlushAsync(cancellationToken);
    }

    public async ValueTask WriteDoneAsync(CancellationToken cancellationToken)
    {
        response.BodyWriter.Write(Done);
        await response.BodyWriter.FlushAsync(cancellationToken);
    }
}
