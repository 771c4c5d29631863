using HybridAI.Contracts;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Edge.Errors;
using HybridAI.Edge.Gate;
using HybridAI.Edge.Hosting;
using HybridAI.Edge.Telemetry;
using HybridAI.Governance.Client;
using HybridAI.Governance.Client.Keys;
using HybridAI.Governance.Client.Policies;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HybridAI.Edge;

/// <summary>edge wiring: YARP routes whose destinations come from service discovery, behind the edge's gate.</summary>
public static class Extensions
{
    private static readonly string[] ExposedHeaders =
    [
        HybridAIHeaders.RequestId, HybridAIHeaders.Route, HybridAIHeaders.Model, HybridAIHeaders.Reason,
        HybridAIHeaders.CostUsd, HybridAIHeaders.DataClass, RateLimitGate.RemainingRequestsHeader, "retry-after",
    ];

    /// <summary>
    /// Registers the edge's options, Kestrel limits, the governance client pieces the gate needs (key-authorisation
    /// cache, policy cache, rate-limit calls), CORS when origins are configured, and the reverse proxy (routes in the
    /// <c>ReverseProxy</c> section, destinations resolved by service discovery).
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<EdgeOptions>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimits>();

        // Only what the gate needs from the governance client: no receipt outbox here, the edge records nothing.
        services.AddValidatedOptions<GovernanceClientOptions>();
        services.AddHybridAIGrpcClient<GovernanceService.GovernanceServiceClient>(ServiceNames.Governance, GrpcCallProfile.ControlPlane);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ApiKeyAuthorizationCache>();
        services.AddSingleton<TenantPolicyCache>();
        services.AddSingleton<AdminKeyCheck>();
        services.AddSingleton<RateLimitGate>();
        services.AddSingleton<EdgeTelemetry>();

        var origins = builder.Configuration.GetSection($"{EdgeOptions.SectionName}:{nameof(EdgeOptions.AllowedCorsOrigins)}").Get<string[]>() ?? [];
        if (origins.Length > 0)
        {
            services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
                .WithOrigins(origins)
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .AllowAnyHeader()
                .WithExposedHeaders(ExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        }

        services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromDays(365);
            hsts.IncludeSubDomains = true;
        });

        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return builder;
    }

    /// <summary>
    /// Maps the proxy behind the gate (request ids, CORS when configured, HSTS on HTTPS outside Development,
    /// authentication, limits, tenant stamping, error shaping) and a fallback that answers unknown paths with 404.
    /// </summary>
    public static WebApplication MapEdgeApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<EdgeOptions>>().Value;
        app.Use(static (context, next) =>
        {
            RequestIds.Assign(context);
            return next(context);
        });

        if (options.Hsts && !app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        if (options.AllowedCorsOrigins.Count > 0)
        {
            app.UseCors();
        }

        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ForwarderErrors>();
            proxy.UseMiddleware<EdgeGate>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

        app.MapFallback(static context => EdgeErrorWriter.WriteAsync(context, EdgeError.NotFound(
            $"{context.Request.Method} {Truncate(context.Request.Path.Value)}")));
        return app;
    }

    private static string Truncate(string? path) => path is { Length: > 200 } ? path[..200] + "…" : path ?? "/";
}
