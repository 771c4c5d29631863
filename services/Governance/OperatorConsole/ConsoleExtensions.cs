using HybridAI.Governance.OperatorConsole.Auth;
using HybridAI.Governance.OperatorConsole.Data;
using HybridAI.Governance.OperatorConsole.Metrics;
using HybridAI.Governance.OperatorConsole.Quality;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HybridAI.Governance.OperatorConsole;

/// <summary>Registers the console, its ledger monitor and its metrics.</summary>
public static class ConsoleExtensions
{
    /// <summary>Adds the operator console's services (options <c>Governance:Console</c>) and background refreshers.</summary>
    public static IServiceCollection AddConsole(this IServiceCollection services)
    {
        services.AddValidatedOptions<ConsoleOptions>();
        services.AddSingleton<ConsoleSession>();
        services.AddSingleton<ConsoleQueries>();
        services.AddSingleton<ConsoleService>();
        services.AddSingleton<LedgerMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerMonitor>());
        services.AddSingleton<LedgerTotals>();
        services.AddSingleton<ConsoleMetrics>();
        services.AddSingleton<QualityConsoleService>();
        services.AddSingleton<QualityMetrics>();
        // Governance registers Calibration.CalibrationInsightsService first; this fills the slot for hosts without it.
        services.TryAddSingleton<ICalibrationInsights, NoCalibrationInsights>();
        services.AddSingleton<ConsoleMetricsRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ConsoleMetricsRefresher>());
        return services;
    }
}
