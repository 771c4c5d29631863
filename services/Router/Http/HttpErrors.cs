using HybridAI.Router.Errors;
using HybridAI.Router.OpenAi;

namespace HybridAI.Router.Http;

/// <summary>The pipeline's failures in OpenAI's error shape, with the status each kind means.</summary>
public static class HttpErrors
{
    public static OpenAiException ToOpenAi(RoutingException e)
    {
        var retry = e.RetryAfter is { } r ? Math.Max(1, (int)Math.Ceiling(r.TotalSeconds)) : (int?)null;
        return e.Kind switch
        {
            FailureKind.InvalidArgument => OpenAiException.InvalidRequest(e.Message, e.Field, e.Code),
            FailureKind.Unauthenticated => new OpenAiException(401, "authentication_error", e.Message, null, e.Code),
            FailureKind.Blocked => OpenAiException.PolicyBlocked(e.Message, e.Code),
            FailureKind.NotFound => OpenAiException.NotFound(e.Message, e.Field, e.Code),
            FailureKind.Exhausted when e.Code == "budget_exceeded" =>
                new OpenAiException(429, "insufficient_quota", e.Message, null, e.Code) { RetryAfterSeconds = retry ?? 1 },
            FailureKind.Exhausted => OpenAiException.RateLimited(e.Message, retry ?? 1, e.Code),
            FailureKind.TooLarge => new OpenAiException(413, "invalid_request_error", e.Message, null, e.Code),
            FailureKind.Timeout => new OpenAiException(504, "timeout", e.Message, null, e.Code),
            FailureKind.Cancelled => new OpenAiException(499, "cancelled", e.Message, null, e.Code),
            _ => new OpenAiException(503, "service_unavailable", e.Message, null, e.Code) { RetryAfterSeconds = retry },
        };
    }
}
