using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>OpenTelemetry traces, metrics and logs, exported over OTLP when an endpoint is configured.</summary>
public static class TelemetryExtensions
{
    /// <summary>Every HybridAI ActivitySource and Meter is named <c>HybridAI.&lt;Role&gt;</c>.</summary>
    public const string SourcePattern = "HybridAI.*";

    /// <summary>Configures OpenTelemetry with the HybridAI sources and meters and the OTLP exporter.</summary>
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(SourcePattern))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(SourcePattern)
                .AddAspNetCoreInstrumentation(o =>
                    // Probes would drown real traces.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments(Extensions.HealthEndpointPath)
                        && !ctx.Request.Path.StartsWithSegments(Extensions.AlivenessEndpointPath)
                        && !ctx.Request.Path.StartsWithSegments("/grpc.health.v1.Health"))
                .AddGrpcClientInstrumentation()
                .AddHttpClientInstrumentation());

        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }
}
