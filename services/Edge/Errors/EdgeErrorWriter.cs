using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace HybridAI.Edge.Errors;

/// <summary>
/// Writes an <see cref="EdgeError"/> the way the caller's protocol expects it: gRPC calls get a trailers-only response
/// with the status code (and <c>RetryInfo</c> details when a retry can succeed); everything else gets OpenAI's error
/// JSON (<c>{"error":{"message","type","param","code"}}</c>) with <c>Retry-After</c> where it applies. Messages are
/// the edge's own: nothing from an exception or an internal address reaches the caller.
/// </summary>
public static class EdgeErrorWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    public static Task WriteAsync(HttpContext context, EdgeError error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            // Too late for an answer of our own; the connection is reset so the client sees a failure, not a truncation.
            context.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        if (error.RetryAfterSeconds is { } retry)
        {
            response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return IsGrpc(context.Request) ? WriteGrpc(response, error) : WriteJsonAsync(context, error);
    }

    private static Task WriteGrpc(HttpResponse response, EdgeError error)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)error.GrpcStatus).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(error.Message);
        if (error.RetryAfterSeconds is { } retry)
        {
            var status = new Google.Rpc.Status { Code = (int)error.GrpcStatus, Message = error.Message };
            status.Details.Add(Any.Pack(new Google.Rpc.RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(retry)) }));
            response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        }

        // No body: the status travels in the headers (a trailers-only response).
        return Task.CompletedTask;
    }

    private static async Task WriteJsonAsync(HttpContext context, EdgeError error)
    {
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body, JsonOptions);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.Type);
        writer.WriteNull("param");
        writer.WriteString("code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
