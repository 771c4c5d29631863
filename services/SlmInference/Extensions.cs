using Grpc.AspNetCore.Server.Model;
using HybridAI.SlmInference.Generation;
using HybridAI.SlmInference.Grpc;
using HybridAI.SlmInference.Health;
using HybridAI.SlmInference.Models;
using HybridAI.SlmInference.Telemetry;

namespace HybridAI.SlmInference;

/// <summary>slm-inference wiring.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers slm-inference's options, telemetry, model host (loads every model at start), batchers, generation
    /// and the readiness check that reports the execution provider.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<InferenceOptions>();
        builder.Services.AddSingleton<InferenceTelemetry>();
        builder.Services.AddSingleton<ModelHost>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        builder.Services.AddSingleton<GenerationService>();
        builder.Services.AddSingleton<IServiceMethodProvider<InferenceGrpcService>, InferenceMethodProvider>();
        builder.Services.AddHealthChecks().AddCheck<ModelsHealthCheck>("models");
        return builder;
    }

    /// <summary>Maps the <c>hybridai.inference.v1</c> gRPC API.</summary>
    public static WebApplication MapSlmInferenceApi(this WebApplication app)
    {
        app.MapGrpcService<InferenceGrpcService>();
        return app;
    }
}
