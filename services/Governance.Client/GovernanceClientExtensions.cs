using HybridAI.Contracts;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Client;
using HybridAI.Governance.Client.Budgets;
using HybridAI.Governance.Client.Keys;
using HybridAI.Governance.Client.Policies;
using HybridAI.Governance.Client.Receipts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration of the governance client library (router and edge).</summary>
public static class GovernanceClientExtensions
{
    /// <summary>
    /// Registers the governance gRPC client (service discovery: <c>http://_grpc.governance</c>), the durable receipt
    /// outbox and its background sender, the key-authorisation cache, the budget client and the policy cache, with
    /// <see cref="GovernanceClientOptions"/> from the <c>GovernanceClient</c> section.
    /// </summary>
    public static IHostApplicationBuilder AddGovernanceClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<GovernanceClientOptions>();
        services.AddHybridAIGrpcClient<GovernanceService.GovernanceServiceClient>(ServiceNames.Governance, GrpcCallProfile.ControlPlane);
        services.AddGovernanceClientCore();
        return builder;
    }

    /// <summary>Everything but the gRPC client registration, for hosts that register the client themselves (tests).</summary>
    public static IServiceCollection AddGovernanceClientCore(this IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GovernanceClientOptions>>().Value;
            return new ReceiptOutbox(o.ResolvedOutboxPath, o.MaxOutboxReceipts);
        });
        services.AddSingleton<IReceiptSink, GrpcReceiptSink>();
        services.AddSingleton<ReceiptSender>();
        services.AddHostedService(sp => sp.GetRequiredService<ReceiptSender>());
        services.AddSingleton<ApiKeyAuthorizationCache>();
        services.AddSingleton<BudgetClient>();
        services.AddSingleton<TenantPolicyCache>();
        return services;
    }
}
