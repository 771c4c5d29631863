using HybridAI.Contracts;
using HybridAI.Retrieval.Errors;

namespace HybridAI.Retrieval.Tenancy;

/// <summary>
/// Reads the tenant the edge stamped. Never from a body: the edge strips client-sent <c>x-hybridai-*</c> headers and
/// stamps its own after authenticating the key, so this header is the only trusted source.
/// </summary>
public static class TenantResolver
{
    /// <summary>Most characters a tenant id may have (governance allows 63).</summary>
    public const int MaxLength = 128;

    /// <summary>The tenant of an HTTP request, or <see cref="MissingTenantException"/>.</summary>
    public static string From(HttpContext context) => Validate(context.Request.Headers[HybridAIHeaders.Tenant].ToString());

    /// <summary>The tenant of a gRPC call, or <see cref="MissingTenantException"/>.</summary>
    public static string From(global::Grpc.Core.ServerCallContext context) => Validate(context.RequestHeaders.GetValue(HybridAIHeaders.Tenant));

    private static string Validate(string? tenant)
    {
        tenant = tenant?.Trim();
        if (string.IsNullOrEmpty(tenant) || tenant.Length > MaxLength || tenant.Any(char.IsControl) || tenant.Contains(','))
        {
            throw new MissingTenantException();
        }

        return tenant;
    }
}
