using System.Globalization;
using System.Text.Json;

namespace HybridAI.Router.OpenAi;

/// <summary>Writing OpenAI-shaped errors and reading request bodies with OpenAI-shaped failures.</summary>
public static class OpenAiResults
{
    public static async Task WriteErrorAsync(HttpContext context, OpenAiException error, HybridAiDecisionDto? decision = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = error.StatusCode;
        if (error.RetryAfterSeconds is { } retry)
        {
            context.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
        }

        var body = new ErrorResponseDto
        {
            Error = new ErrorDto { Message = error.Message, Type = error.Type, Param = error.Param, Code = error.Code },
            HybridAi = decision,
        };
        await context.Response.WriteAsJsonAsync(body, OpenAiJsonContext.Default.ErrorResponseDto, "application/json", context.RequestAborted);
    }

    /// <summary>Reads a JSON body; malformed JSON, a wrong content type or an empty body become 400s naming the problem.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        if (request.ContentType is { } contentType && !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !contentType.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            throw OpenAiException.InvalidRequest($"Content-Type must be application/json, not '{contentType}'.", code: "invalid_content_type");
        }

        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, type, request.HttpContext.RequestAborted)
                ?? throw OpenAiException.InvalidRequest("The request body is empty or null; expected a JSON object.");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } path ? $" at {path}" : "";
            var detail = e.InnerException?.Message ?? e.Message.Split(". Path:", 2)[0];
            throw OpenAiException.InvalidRequest($"Malformed JSON{where}: {detail}", param: e.Path?.TrimStart('$', '.'), code: "invalid_json");
        }
    }
}
