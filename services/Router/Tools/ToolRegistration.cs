namespace HybridAI.Router.Tools;

internal static class ToolRegistration
{
    /// <summary>Governed tool calling: options, the registry cache, built-ins, the executor and the loop.</summary>
    public static IServiceCollection AddGovernedTools(this IServiceCollection services)
    {
        services.AddValidatedOptions<ToolsOptions>();
        services.AddSingleton<ToolRegistryCache>();
        services.AddSingleton<BuiltInTools>();
        services.AddSingleton<ToolResultPrivacy>();
        services.AddSingleton<McpSessionPool>();
        services.AddSingleton<ToolExecutor>();
        services.AddSingleton<ToolLoop>();
        return services;
    }
}
