using Yarp.ReverseProxy.Model;

namespace HybridAI.Edge.Gate;

/// <summary>Who may use a route: set per route in <c>ReverseProxy:Routes:&lt;id&gt;:Metadata:HybridAI.Access</c>.</summary>
public enum RouteAccess
{
    /// <summary>A tenant's API key (the default): the tenant is stamped and the key counted against rate limits.</summary>
    Tenant,

    /// <summary>The admin key; the request reaches governance with its Authorization header.</summary>
    Admin,

    /// <summary>
    /// The operator console: governance checks its own login form and signed session cookie; the edge forwards no key
    /// (Authorization and x-api-key are dropped) and no internal header.
    /// </summary>
    Console,
}

internal static class RouteAccessReader
{
    public const string MetadataKey = "HybridAI.Access";

    public static RouteAccess Of(RouteModel route) =>
        route.Config.Metadata is { } metadata && metadata.TryGetValue(MetadataKey, out var value)
            ? value.ToLowerInvariant() switch
            {
                "admin" => RouteAccess.Admin,
                "console" => RouteAccess.Console,
                _ => RouteAccess.Tenant,
            }
            : RouteAccess.Tenant;
}
