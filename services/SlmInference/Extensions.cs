using HybridAI.SlmInference.Grpc;

namespace HybridAI.SlmInference;

/// <summary>slm-inference wiring.</summary>
public static class Extensions
{
    /// <summary>Registers slm-inference's options and model services.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<InferenceOptions>();
        return builder;
    }

    /// <summary>Maps the <c>hybridai.inference.v1</c> gRPC API.</summary>
    public static WebApplication MapSlmInferenceApi(this WebApplication app)
    {
        app.MapGrpcService<InferenceGrpcService>();
        return app;
    }
}
