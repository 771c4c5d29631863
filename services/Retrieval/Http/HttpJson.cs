using System.Text.Json;
using System.Text.Json.Serialization;
using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Http;

/// <summary>
/// The HTTP API's JSON: snake_case names, unknown fields refused (a typo is an error, not silently ignored), labels and
/// kinds as words (<c>"public"</c>, <c>"faq"</c>).
/// </summary>
public static class HttpJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 16,
    };

    /// <summary>Reads a JSON body of at most <paramref name="limit"/> bytes.</summary>
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new PayloadTooLargeException($"The request body is {request.ContentLength} bytes; the limit is {limit} (Retrieval:Limits:MaxRequestBytes).");
        }

        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException($"The request body must be application/json{(request.Path.Value?.EndsWith("/documents", StringComparison.Ordinal) == true ? " or multipart/form-data" : "")}, not '{type}'.");
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length and > 0 ? (int)Math.Min(length, limit) : 4096);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new PayloadTooLargeException($"The request body exceeds the limit of {limit} bytes (Retrieval:Limits:MaxRequestBytes).");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        if (buffer.Length == 0)
        {
            throw new ValidationFailedException("The request body", [new Problem("", "is required (JSON).")]);
        }

        try
        {
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException("The request body", [new Problem("", $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).")]);
        }
    }

    /// <summary>Binds <paramref name="element"/> to <typeparamref name="T"/>, naming the offending field on failure.</summary>
    public static T Bind<T>(JsonElement element, string field)
    {
        try
        {
            return element.Deserialize<T>(Options) ?? throw new ValidationFailedException("The request body", [new Problem(field, "must not be null.")]);
        }
        catch (JsonException e)
        {
            var path = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            var where = field.Length == 0 ? path : path.Length == 0 ? field : $"{field}.{path}";
            var reason = e.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "is not a field of this request."
                : $"has the wrong type: {e.Message.Split(" Path:")[0]}";
            throw new ValidationFailedException("The request body", [new Problem(where, reason)]);
        }
    }

    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, Options, "application/json", status);
}
