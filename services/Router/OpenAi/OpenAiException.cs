namespace HybridAI.Router.OpenAi;

/// <summary>
/// An error to return in OpenAI's shape. Thrown anywhere in request handling; the API layer writes it as
/// <c>{"error":{"message","type","param","code"}}</c> with the status code.
/// </summary>
public sealed class OpenAiException(int statusCode, string type, string message, string? param = null, string? code = null)
    : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Type { get; } = type;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    /// <summary>Seconds a client should wait before retrying (429, 503), sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static OpenAiException InvalidRequest(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, param, code);

    public static OpenAiException NotFound(string message, string? param = null, string code = "model_not_found") =>
        new(404, "invalid_request_error", message, param, code);

    public static OpenAiException PolicyBlocked(string message, string code) =>
        new(403, "policy_violation", message, null, code);

    public static OpenAiException RateLimited(string message, int retryAfterSeconds, string code = "rate_limit_exceeded") =>
        new(429, "rate_limit_error", message, null, code) { RetryAfterSeconds = retryAfterSeconds };

    public static OpenAiException BudgetExceeded(string message) =>
        new(429, "insufficient_quota", message, null, "budget_exceeded");

    public static OpenAiException Unavailable(string message, int? retryAfterSeconds = null) =>
        new(503, "service_unavailable", message, null, "upstream_unavailable") { RetryAfterSeconds = retryAfterSeconds };

    public static OpenAiException UpstreamTimeout(string message) =>
        new(504, "timeout", message, null, "upstream_timeout");
}
