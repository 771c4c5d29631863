using HybridAI.Contracts.Llm.V1;
using HybridAI.Governance.Admin;
using HybridAI.Governance.Budgets;
using HybridAI.Governance.Calibration;
using HybridAI.Governance.OperatorConsole;
using HybridAI.Governance.OperatorConsole.Quality;
using HybridAI.Governance.Grpc;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Policies;
using HybridAI.Governance.Quality;
using HybridAI.Governance.RateLimiting;
using HybridAI.Governance.Receipts;
using HybridAI.Governance.Reports;
using HybridAI.Governance.Storage;
using HybridAI.Governance.Tenants;
using HybridAI.Governance.Tools;
using HybridAI.Infrastructure.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance;

/// <summary>governance wiring.</summary>
public static class Extensions
{
    /// <summary>
    /// Registers governance's options, the SQLite database (tenants, keys, policies, ledger), the budget escrow and
    /// rate limiter (Redis when <c>ConnectionStrings:redis</c> is set, else in-process), and the feature services.
    /// </summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<GovernanceOptions>();
        builder.AddHybridAIRedis();
        services.AddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GovernanceOptions>>().Value;
            return new GovernanceDatabase(Path.Combine(options.ResolvedDataPath, "governance.db"),
                options.Durability == nameof(Durability.Normal) ? Durability.Normal : Durability.Full);
        });
        services.AddSingleton<SqliteAuditLedger>();
        services.AddSingleton<IAuditLedger>(sp => sp.GetRequiredService<SqliteAuditLedger>());
        services.AddSingleton<ITenantStore, SqliteTenantStore>();
        services.AddSingleton<IPolicyStore, SqlitePolicyStore>();

        services.AddSingleton<IBudgetEscrow>(sp => sp.GetRequiredService<RedisConnection>().Multiplexer is { } redis
            ? new RedisBudgetEscrow(redis)
            : new InProcessBudgetEscrow());
        services.AddSingleton<IRateLimiter>(sp => sp.GetRequiredService<RedisConnection>().Multiplexer is { } redis
            ? new RedisRateLimiter(redis)
            : new InProcessRateLimiter());

        services.AddSingleton<KnownTenants>();
        services.AddSingleton<IPolicyChangeNotifier, PolicyChangeNotifier>();
        services.AddSingleton<TargetCatalogue>();
        services.AddSingleton<PolicyService>();
        services.AddSingleton<TenantService>();
        services.AddSingleton<BudgetService>();
        services.AddSingleton<RateLimitService>();
        services.AddSingleton<ReceiptService>();
        services.AddSingleton<IQualityStore, SqliteQualityStore>();
        services.AddSingleton<QualityService>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<SqliteToolServerStore>();
        services.AddSingleton<ToolRegistryService>();
        services.AddSingleton<AdminKey>();
        services.AddHostedService<DevTenantSeeder>();
        services.AddHostedService<PolicyRefresher>();
        services.AddValidatedOptions<CalibrationOptions>();
        services.TryAddSingleton<InMemoryCalibrationSampleSource>();
        services.TryAddSingleton<QualityCalibrationSampleSource>();
        services.TryAddSingleton<ICalibrationSampleSource>(sp => new CalibrationSampleSources(
            [sp.GetRequiredService<QualityCalibrationSampleSource>(), sp.GetRequiredService<InMemoryCalibrationSampleSource>()]));
        services.AddSingleton<ICalibrationProposalStore, SqliteCalibrationProposalStore>();
        services.AddSingleton<CalibrationService>();
        services.AddSingleton<CalibrationJob>();
        services.AddHostedService(sp => sp.GetRequiredService<CalibrationJob>());
        // Before AddConsole, whose placeholder (NoCalibrationInsights) only fills an empty slot.
        services.AddSingleton<ICalibrationInsights, CalibrationInsightsService>();
        services.AddConsole();

        if (builder.Configuration.GetSection($"{GovernanceOptions.SectionName}:Targets")[nameof(TargetCatalogueOptions.LlmProxyAddress)] is { Length: > 0 } address)
        {
            services.AddGrpcClient<LlmService.LlmServiceClient>(o => o.Address = new Uri(address));
        }

        services.AddGrpc(o => o.Interceptors.Add<GovernanceErrorInterceptor>())
            .AddServiceOptions<GovernanceAdminGrpcService>(o => o.Interceptors.Add<AdminKeyInterceptor>());
        return builder;
    }

    /// <summary>Maps the <c>hybridai.governance.v1</c> gRPC services, the <c>/admin</c> HTTP API and the <c>/console</c> operator console.</summary>
    public static WebApplication MapGovernanceApi(this WebApplication app)
    {
        app.MapAdminApi();
        app.MapCalibrationApi();
        app.MapConsole();
        app.MapGrpcService<GovernanceGrpcService>();
        app.MapGrpcService<GovernanceAdminGrpcService>();
        return app;
    }
}
