using HybridAI.Governance.Grpc;

namespace HybridAI.Governance;

/// <summary>governance wiring.</summary>
public static class Extensions
{
    /// <summary>Registers governance's options, Redis and stores.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<GovernanceOptions>();
        builder.AddHybridAIRedis();
        return builder;
    }

    /// <summary>Maps the <c>hybridai.governance.v1</c> gRPC services.</summary>
    public static WebApplication MapGovernanceApi(this WebApplication app)
    {
        app.MapGrpcService<GovernanceGrpcService>();
        app.MapGrpcService<GovernanceAdminGrpcService>();
        return app;
    }
}
