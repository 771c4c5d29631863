using System.Text.Json;
using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Http;

/// <summary>
/// The HTTP boundary of <c>/v1/hybrid/collections</c>: translates domain errors into OpenAI-shaped JSON
/// (<c>{"error":{"message","type","code","problems"}}</c>) with the right status.
/// </summary>
public sealed class HttpErrorMiddleware(RequestDelegate next, ILogger<HttpErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && RetrievalErrors.Http(e) is { } error)
        {
            if (error.Status >= 500)
            {
                logger.LogWarning(e, "{Method} {Path} failed: {Message}", context.Request.Method, context.Request.Path, e.Message);
            }

            await WriteErrorAsync(context, error.Status, e.Message, error.Type, error.Code, (e as ValidationFailedException)?.Problems);
        }
    }

    public static async Task WriteErrorAsync(HttpContext context, int status, string message, string type, string code, IReadOnlyList<Problem>? problems = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = HttpJson.Options.Encoder });
        WriteError(writer, message, type, code, problems);
        await writer.FlushAsync(context.RequestAborted);
    }

    public static void WriteError(Utf8JsonWriter writer, string message, string type, string code, IReadOnlyList<Problem>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        writer.WriteString("code", code);
        if (problems is { Count: > 0 })
        {
            writer.WriteStartArray("problems");
            foreach (var p in problems)
            {
                writer.WriteStartObject();
                writer.WriteString("field", p.Field);
                writer.WriteString("description", p.Description);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
