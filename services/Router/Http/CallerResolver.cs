using HybridAI.Contracts;
using HybridAI.Router.Errors;
using HybridAI.Router.Requests;

namespace HybridAI.Router.Http;

/// <summary>
/// The caller of a request, from what the edge stamped: <c>x-hybridai-tenant</c> (required: without it the request did
/// not come through the edge, 401 / UNAUTHENTICATED), <c>x-hybridai-key-id</c>, and <c>x-request-id</c> (generated when
/// absent). Never from a body.
/// </summary>
public static class CallerResolver
{
    public const int MaxTenantLength = 128;

    public static Caller From(HttpContext context) => Resolve(
        context.Request.Headers[HybridAIHeaders.Tenant].ToString(),
        context.Request.Headers[HybridAIHeaders.RequestId].ToString(),
        context.Request.Headers[HybridAIHeaders.ApiKeyId].ToString());

    public static Caller From(global::Grpc.Core.ServerCallContext context) => Resolve(
        context.RequestHeaders.GetValue(HybridAIHeaders.Tenant),
        context.RequestHeaders.GetValue(HybridAIHeaders.RequestId),
        context.RequestHeaders.GetValue(HybridAIHeaders.ApiKeyId));

    private static Caller Resolve(string? tenant, string? requestId, string? keyId)
    {
        tenant = tenant?.Trim();
        if (string.IsNullOrEmpty(tenant) || tenant.Length > MaxTenantLength || tenant.Any(c => char.IsControl(c) || c == ','))
        {
            throw RoutingException.NoTenant();
        }

        requestId = requestId?.Trim();
        if (string.IsNullOrEmpty(requestId) || requestId.Length > 128 || requestId.Any(c => c is < '!' or > '~'))
        {
            requestId = Guid.NewGuid().ToString("N");
        }

        return new Caller(tenant, requestId, keyId?.Trim() ?? "");
    }
}
