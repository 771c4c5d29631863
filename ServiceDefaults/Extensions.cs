using HybridAI.ServiceDefaults.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Service defaults every HybridAI service calls first: OpenTelemetry, health checks (HTTP and gRPC),
/// service discovery, HTTP client resilience, Kestrel endpoints and gRPC server plumbing.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";
    public const string LiveTag = "live";

    /// <summary>Adds the HybridAI service defaults to a service.</summary>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.ConfigureServiceEndpoints();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Short internal calls get the standard pipeline. Clients of llm-proxy and slm-inference,
            // and every stream, opt out of it (see GrpcClientExtensions) because its 10 s attempt
            // timeout would cut LLM calls and token streams.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        builder.Services.AddGrpc(options =>
        {
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<UnimplementedMethodInterceptor>();
        });
        builder.Services.AddGrpcHealthChecks();
        return builder;
    }

    /// <summary>Adds the liveness check every service has; services add checks for their real dependencies.</summary>
    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (readiness: every check) and <c>/alive</c> (liveness: the process answers) in every
    /// environment, because Kubernetes probes need them; responses carry the status word only, no details.
    /// Also maps the standard gRPC health service.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath);
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        app.MapGrpcHealthChecksService();
        return app;
    }
}
