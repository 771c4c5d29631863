using Grpc.Core;
using HybridAI.Contracts;
using HybridAI.Router.Errors;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Mcp;

/// <summary>
/// How the retrieval tools call retrieval: as the caller's tenant (the <c>x-hybridai-tenant</c> metadata retrieval scopes
/// every query by, so a tenant only ever sees its own collections), and with retrieval's failures as the pipeline's.
/// </summary>
public static class RetrievalCalls
{
    public const string CollectionPattern = "^[a-z0-9][a-z0-9_-]{0,62}$";

    public static Metadata Headers(Caller caller) => new()
    {
        { HybridAIHeaders.Tenant, caller.TenantId },
        { HybridAIHeaders.RequestId, caller.RequestId },
    };

    /// <summary>
    /// Retrieval's answer as a tool error. Another tenant's collection is indistinguishable from a missing one: retrieval
    /// answers NotFound for both, and so does this.
    /// </summary>
    public static RoutingException Translate(RpcException e, string collection) => e.StatusCode switch
    {
        StatusCode.NotFound => new RoutingException(FailureKind.NotFound, "collection_not_found",
            $"The collection '{collection}' does not exist for this tenant.", "collection"),
        StatusCode.InvalidArgument => new RoutingException(FailureKind.InvalidArgument, "invalid_request", e.Status.Detail),
        StatusCode.ResourceExhausted => new RoutingException(FailureKind.Exhausted, "retrieval_busy", e.Status.Detail) { RetryAfter = TimeSpan.FromSeconds(1) },
        StatusCode.DeadlineExceeded => new RoutingException(FailureKind.Timeout, "retrieval_timeout", "retrieval did not answer within Router:RetrievalTimeout."),
        StatusCode.Cancelled => new RoutingException(FailureKind.Cancelled, "cancelled", "The caller went away."),
        _ => RoutingException.Unavailable("retrieval_unavailable", $"retrieval failed: {e.StatusCode} ({e.Status.Detail}).", TimeSpan.FromSeconds(1), e),
    };
}
