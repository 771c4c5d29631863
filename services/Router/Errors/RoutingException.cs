using HybridAI.Contracts.Common.V1;

namespace HybridAI.Router.Errors;

/// <summary>Why a routed request failed, independent of the API it came through (HTTP maps it to OpenAI's shape, gRPC to a status).</summary>
public enum FailureKind
{
    /// <summary>400 / INVALID_ARGUMENT: the request is malformed; <see cref="RoutingException.Field"/> names what.</summary>
    InvalidArgument,

    /// <summary>401 / UNAUTHENTICATED: no tenant was stamped by the edge.</summary>
    Unauthenticated,

    /// <summary>403 / PERMISSION_DENIED: the policy refused it (guard, PII, cost limit, no allowed target).</summary>
    Blocked,

    /// <summary>404 / NOT_FOUND: an unknown model or head.</summary>
    NotFound,

    /// <summary>429 / RESOURCE_EXHAUSTED: the tenant's budget, or the router is at capacity; retry after <see cref="RoutingException.RetryAfter"/>.</summary>
    Exhausted,

    /// <summary>413: the body is larger than the router accepts.</summary>
    TooLarge,

    /// <summary>503 / UNAVAILABLE: a dependency or every allowed target failed.</summary>
    Unavailable,

    /// <summary>504 / DEADLINE_EXCEEDED: the answer did not come in time.</summary>
    Timeout,

    /// <summary>The caller went away.</summary>
    Cancelled,
}

/// <summary>A routed request's failure, with the code clients switch on and, when routing got that far, the decision.</summary>
public sealed class RoutingException(FailureKind kind, string code, string message, string? field = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;

    /// <summary>Stable machine-readable code: <c>prompt_injection</c>, <c>budget_exceeded</c>, <c>model_not_found</c>, …</summary>
    public string Code { get; } = code;

    /// <summary>The request field at fault (<c>messages[2].role</c>), for 400s.</summary>
    public string? Field { get; } = field;

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Every problem of a bad request, by field (the message lists them too).</summary>
    public IReadOnlyList<(string Field, string Message)> Problems { get; init; } = [];

    /// <summary>The decision made before the failure (blocked requests carry it in headers and trailers too).</summary>
    public RoutingDecision? Decision { get; set; }

    public static RoutingException Invalid(string field, string message, string code = "invalid_request") =>
        new(FailureKind.InvalidArgument, code, message, field);

    public static RoutingException NoTenant() =>
        new(FailureKind.Unauthenticated, "missing_tenant",
            $"The request carries no tenant ({Contracts.HybridAIHeaders.Tenant}). Call the router through the edge, which authenticates the API key and stamps it.");

    public static RoutingException Unavailable(string code, string message, TimeSpan? retryAfter = null, Exception? inner = null) =>
        new(FailureKind.Unavailable, code, message, null, inner) { RetryAfter = retryAfter };
}
