using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Budgets;
using HybridAI.Governance.Policies;
using HybridAI.Governance.Quality;
using HybridAI.Governance.RateLimiting;
using HybridAI.Governance.Receipts;
using HybridAI.Governance.Reports;
using HybridAI.Governance.Tenants;
using HybridAI.Governance.Tools;

namespace HybridAI.Governance.Grpc;

/// <summary>
/// The API edge and router call: key authorisation, policies, budget escrow, rate limits, receipts, reports, feedback and
/// shadow results.
/// Errors are translated by <see cref="GovernanceErrorInterceptor"/>.
/// </summary>
public sealed class GovernanceGrpcService(
    TenantService tenants, PolicyService policies, BudgetService budgets, RateLimitService rateLimits,
    ReceiptService receipts, ReportService reports, QualityService quality, ToolRegistryService tools)
    : GovernanceService.GovernanceServiceBase
{
    public override Task<AuthorizeKeyResponse> AuthorizeKey(AuthorizeKeyRequest request, ServerCallContext context) =>
        tenants.AuthorizeAsync(request.ApiKey, context.CancellationToken);

    public override Task<TenantPolicy> GetPolicy(GetPolicyRequest request, ServerCallContext context) =>
        policies.GetForTenantAsync(request.TenantId, context.CancellationToken);

    public override Task<ReserveBudgetResponse> ReserveBudget(ReserveBudgetRequest request, ServerCallContext context) =>
        budgets.ReserveAsync(request, context.CancellationToken);

    public override Task<SettleBudgetResponse> SettleBudget(SettleBudgetRequest request, ServerCallContext context) =>
        budgets.SettleAsync(request, context.CancellationToken);

    public override Task<ReleaseBudgetResponse> ReleaseBudget(ReleaseBudgetRequest request, ServerCallContext context) =>
        budgets.ReleaseAsync(request, context.CancellationToken);

    public override Task<CheckRateLimitResponse> CheckRateLimit(CheckRateLimitRequest request, ServerCallContext context) =>
        rateLimits.CheckAsync(request, context.CancellationToken);

    public override Task<RecordReceiptsResponse> RecordReceipts(RecordReceiptsRequest request, ServerCallContext context) =>
        receipts.RecordAsync(request, context.CancellationToken);

    public override Task<Report> GetReport(ReportRequest request, ServerCallContext context) =>
        reports.BuildAsync(request, context.CancellationToken);

    public override Task<SubmitFeedbackResponse> SubmitFeedback(SubmitFeedbackRequest request, ServerCallContext context) =>
        quality.SubmitFeedbackAsync(request, context.CancellationToken);

    public override Task<RecordShadowResultsResponse> RecordShadowResults(RecordShadowResultsRequest request, ServerCallContext context) =>
        quality.RecordShadowResultsAsync(request, context.CancellationToken);

    public override Task<ToolRegistry> GetToolRegistry(GetToolRegistryRequest request, ServerCallContext context) =>
        tools.GetRegistryAsync(request.TenantId, context.CancellationToken);
}
