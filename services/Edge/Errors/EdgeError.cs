namespace HybridAI.Edge.Errors;

/// <summary>
/// An answer the edge gives itself instead of forwarding: an HTTP status with OpenAI's error fields, and the gRPC status
/// the same failure means for gRPC callers.
/// </summary>
public sealed record EdgeError(int Status, string Type, string Code, string Message, global::Grpc.Core.StatusCode GrpcStatus)
{
    /// <summary>Seconds before a retry can succeed (429, 503), sent as <c>Retry-After</c>.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static EdgeError MissingKey() => new(401, "authentication_error", "missing_api_key",
        "No API key was provided. Send it as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.", global::Grpc.Core.StatusCode.Unauthenticated);

    public static EdgeError MalformedKey() => new(401, "authentication_error", "invalid_api_key",
        "The Authorization header is malformed. Send the key as 'Authorization: Bearer <key>' or 'x-api-key: <key>'.", global::Grpc.Core.StatusCode.Unauthenticated);

    public static EdgeError InvalidKey() => new(401, "authentication_error", "invalid_api_key",
        "The API key is not valid (unknown, revoked or expired).", global::Grpc.Core.StatusCode.Unauthenticated);

    public static EdgeError AdminKeyRequired() => new(401, "authentication_error", "invalid_admin_key",
        "The admin API requires the admin key (Authorization: Bearer <admin-api-key>).", global::Grpc.Core.StatusCode.Unauthenticated);

    public static EdgeError TooLarge(long limit) => new(413, "invalid_request_error", "payload_too_large",
        $"The request body exceeds the limit of {limit} bytes.", global::Grpc.Core.StatusCode.ResourceExhausted);

    public static EdgeError RateLimited(int retryAfterSeconds) => new(429, "rate_limit_error", "rate_limit_exceeded",
        $"Rate limit reached for this API key. Retry after {retryAfterSeconds} s.", global::Grpc.Core.StatusCode.ResourceExhausted)
    {
        RetryAfterSeconds = retryAfterSeconds,
    };

    public static EdgeError GovernanceUnavailable() => new(503, "service_unavailable", "auth_unavailable",
        "API keys cannot be checked right now; retry shortly.", global::Grpc.Core.StatusCode.Unavailable)
    {
        RetryAfterSeconds = 1,
    };

    public static EdgeError NotFound(string path) => new(404, "invalid_request_error", "unknown_url",
        $"Unknown request URL: {path}.", global::Grpc.Core.StatusCode.Unimplemented);

    public static EdgeError BadGateway() => new(502, "service_unavailable", "upstream_unavailable",
        "The service behind the edge could not be reached; retry shortly.", global::Grpc.Core.StatusCode.Unavailable)
    {
        RetryAfterSeconds = 1,
    };

    public static EdgeError NoDestination() => new(503, "service_unavailable", "upstream_unavailable",
        "The service behind the edge is not available; retry shortly.", global::Grpc.Core.StatusCode.Unavailable)
    {
        RetryAfterSeconds = 1,
    };

    public static EdgeError GatewayTimeout() => new(504, "timeout", "upstream_timeout",
        "The service behind the edge did not answer in time.", global::Grpc.Core.StatusCode.DeadlineExceeded);

    public static EdgeError BadRequestBody(int status) => status switch
    {
        413 => new(413, "invalid_request_error", "payload_too_large", "The request body is too large.", global::Grpc.Core.StatusCode.ResourceExhausted),
        408 => new(408, "invalid_request_error", "request_timeout", "The request body arrived too slowly.", global::Grpc.Core.StatusCode.DeadlineExceeded),
        _ => new(400, "invalid_request_error", "invalid_request_body", "The request body could not be read.", global::Grpc.Core.StatusCode.InvalidArgument),
    };
}
