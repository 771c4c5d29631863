namespace HybridAI.Edge;

/// <summary>edge wiring: YARP routes whose destinations come from service discovery.</summary>
public static class Extensions
{
    /// <summary>Registers the edge's options and reverse proxy (routes in the <c>ReverseProxy</c> section).</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<EdgeOptions>();
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();
        return builder;
    }

    /// <summary>Maps the proxy.</summary>
    public static WebApplication MapEdgeApi(this WebApplication app)
    {
        app.MapReverseProxy();
        return app;
    }
}
