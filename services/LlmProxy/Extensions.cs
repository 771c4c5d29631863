using HybridAI.LlmProxy.Grpc;

namespace HybridAI.LlmProxy;

/// <summary>llm-proxy wiring.</summary>
public static class Extensions
{
    /// <summary>Registers llm-proxy's options and provider clients.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<LlmProxyOptions>();
        return builder;
    }

    /// <summary>Maps the <c>hybridai.llm.v1</c> gRPC API.</summary>
    public static WebApplication MapLlmProxyApi(this WebApplication app)
    {
        app.MapGrpcService<LlmGrpcService>();
        return app;
    }
}
