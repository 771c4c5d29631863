namespace HybridAI.Router.Shadow;

/// <summary>Registration of shadow evaluation.</summary>
public static class ShadowExtensions
{
    /// <summary>
    /// Adds the sampler (called by the pipeline as each request finishes), the per-tenant shadow budget, the evaluator,
    /// its background workers and the result sender. Nothing runs unless <c>Router:Shadow:Enabled</c> is true.
    /// </summary>
    public static IServiceCollection AddShadowEvaluation(this IServiceCollection services)
    {
        services.AddSingleton<ShadowBudget>();
        services.AddSingleton<ShadowSampler>();
        services.AddSingleton<ShadowEvaluator>();
        services.AddSingleton<ShadowResultSender>();
        services.AddHostedService(sp => sp.GetRequiredService<ShadowResultSender>());
        services.AddHostedService<ShadowWorker>();
        return services;
    }
}
