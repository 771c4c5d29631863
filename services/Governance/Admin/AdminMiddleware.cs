using System.Text.Json;
using HybridAI.Governance.Errors;

namespace HybridAI.Governance.Admin;

/// <summary>
/// The HTTP boundary of <c>/admin</c>: refuses every request without the admin key with the same 401 before any
/// routing decision is visible (so unknown paths, methods and tenants look alike), and translates domain errors
/// into OpenAI-shaped JSON errors (<c>{"error":{"message","type","code","problems"}}</c>).
/// </summary>
public sealed class AdminMiddleware(RequestDelegate next, AdminKey adminKey, ILogger<AdminMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!adminKey.Matches(context.Request.Headers.Authorization))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, AdminKey.Refusal, "authentication_error", "invalid_admin_key");
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && Translate(e) is { } error)
        {
            if (error.Status >= 500)
            {
                logger.LogWarning(e, "Admin request {Method} {Path} failed: {Message}", context.Request.Method, context.Request.Path, error.Message);
            }

            await WriteErrorAsync(context, error.Status, error.Message, error.Type, error.Code, error.Problems);
        }
    }

    private static (int Status, string Message, string Type, string Code, IReadOnlyList<Problem>? Problems)? Translate(Exception e) => e switch
    {
        PayloadTooLargeException p => (StatusCodes.Status413PayloadTooLarge, p.Message, "invalid_request_error", "payload_too_large", null),
        ValidationFailedException v => (StatusCodes.Status400BadRequest, v.Message, "invalid_request_error", "invalid_request", v.Problems),
        NotFoundException n => (StatusCodes.Status404NotFound, n.Message, "invalid_request_error", $"{n.ResourceType}_not_found", null),
        AlreadyExistsException a => (StatusCodes.Status409Conflict, a.Message, "invalid_request_error", $"{a.ResourceType}_exists", null),
        PreconditionFailedException p => (StatusCodes.Status409Conflict, p.Message, "invalid_request_error", "conflict", null),
        StackExchange.Redis.RedisException or TimeoutException =>
            (StatusCodes.Status503ServiceUnavailable, "Budget state (Redis) is unreachable; retry shortly.", "server_error", "unavailable", null),
        _ => null,
    };

    public static async Task WriteErrorAsync(HttpContext context, int status, string message, string type, string code,
        IReadOnlyList<Problem>? problems = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        // Relaxed escaping keeps quotes in messages readable; the body is served as application/json, never as HTML.
        await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
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
        await writer.FlushAsync(context.RequestAborted);
    }
}

/// <summary>The body is larger than <c>Governance:MaxAdminBodyBytes</c>.</summary>
public sealed class PayloadTooLargeException(int limit)
    : GovernanceException($"The request body exceeds the limit of {limit} bytes (Governance:MaxAdminBodyBytes).");
