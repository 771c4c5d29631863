using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Admin;
using HybridAI.Governance.Calibration;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Policies;
using HybridAI.Governance.Reports;
using HybridAI.Governance.Tenants;
using HybridAI.Governance.Tools;

namespace HybridAI.Governance.Grpc;

/// <summary>
/// The admin API over gRPC, mirroring <c>/admin</c>. Every call needs the admin key (<see cref="AdminKeyInterceptor"/>).
/// </summary>
public sealed class GovernanceAdminGrpcService(
    TenantService tenants, PolicyService policies, ReportService reports, IAuditLedger ledger, ToolRegistryService tools,
    CalibrationService calibration)
    : GovernanceAdminService.GovernanceAdminServiceBase
{
    public override Task<ListCalibrationProposalsResponse> ListCalibrationProposals(ListCalibrationProposalsRequest request, ServerCallContext context) =>
        calibration.ListAsync(request.TenantId, request.Limit, context.CancellationToken);

    public override async Task<CalibrationProposal> ProposeCalibration(CalibrationRequest request, ServerCallContext context) =>
        (await calibration.ProposeAsync(request.TenantId, null, context.CancellationToken))!;

    public override Task<TenantPolicy> ApproveCalibrationProposal(CalibrationProposalRequest request, ServerCallContext context) =>
        calibration.ApproveAsync(request.TenantId, request.ProposalId, Actor(context), context.CancellationToken);

    public override Task<CalibrationProposal> RejectCalibrationProposal(CalibrationProposalRequest request, ServerCallContext context) =>
        calibration.RejectAsync(request.TenantId, request.ProposalId, Actor(context), context.CancellationToken);

    public override Task<TenantPolicy> RollbackThresholds(CalibrationRequest request, ServerCallContext context) =>
        calibration.RollbackAsync(request.TenantId, Actor(context), context.CancellationToken);

    private static string Actor(ServerCallContext context) => AdminActor.From(context.RequestHeaders.GetValue(AdminActor.Header));

    public override Task<Tenant> CreateTenant(CreateTenantRequest request, ServerCallContext context) =>
        tenants.CreateTenantAsync(request, context.CancellationToken);

    public override Task<ListTenantsResponse> ListTenants(ListTenantsRequest request, ServerCallContext context) =>
        tenants.ListTenantsAsync(context.CancellationToken);

    public override Task<IssuedKey> IssueKey(IssueKeyRequest request, ServerCallContext context) =>
        tenants.IssueKeyAsync(request, context.CancellationToken);

    public override Task<ListKeysResponse> ListKeys(ListKeysRequest request, ServerCallContext context) =>
        tenants.ListKeysAsync(request.TenantId, context.CancellationToken);

    public override Task<IssuedKey> RotateKey(RotateKeyRequest request, ServerCallContext context) =>
        tenants.RotateKeyAsync(request, context.CancellationToken);

    public override Task<RevokeKeyResponse> RevokeKey(RevokeKeyRequest request, ServerCallContext context) =>
        tenants.RevokeKeyAsync(request.KeyId, context.CancellationToken);

    public override Task<TenantPolicy> GetPolicy(GetPolicyRequest request, ServerCallContext context) =>
        policies.GetForTenantAsync(request.TenantId, context.CancellationToken);

    public override Task<TenantPolicy> PutPolicy(PutPolicyRequest request, ServerCallContext context) =>
        policies.PutAsync(request, AdminActor.From(context.RequestHeaders.GetValue(AdminActor.Header)), context.CancellationToken);

    public override Task<ListPolicyVersionsResponse> ListPolicyVersions(ListPolicyVersionsRequest request, ServerCallContext context) =>
        policies.ListVersionsAsync(request.TenantId, request.Limit, context.CancellationToken);

    public override Task<Report> GetReport(ReportRequest request, ServerCallContext context) =>
        reports.BuildAsync(request, context.CancellationToken);

    public override async Task<VerifyLedgerResponse> VerifyLedger(VerifyLedgerRequest request, ServerCallContext context)
    {
        var result = await ledger.VerifyAsync(context.CancellationToken);
        return new VerifyLedgerResponse
        {
            Valid = result.Valid,
            Records = result.Records,
            FirstBrokenSequence = result.FirstBrokenSequence,
            Message = result.Message,
            HeadHash = result.HeadHash,
            HeadSequence = result.HeadSequence,
        };
    }

    public override async Task ExportLedger(ExportLedgerRequest request, IServerStreamWriter<RoutingReceipt> responseStream, ServerCallContext context)
    {
        var query = LedgerExport.Query(request.TenantId, request.From?.ToDateTimeOffset(), request.To?.ToDateTimeOffset(), includePolicyChanges: false);
        await foreach (var entry in ledger.ReadAsync(query, context.CancellationToken))
        {
            await responseStream.WriteAsync(entry.ToReceipt(), context.CancellationToken);
        }
    }

    public override Task<PutToolServerResponse> PutToolServer(PutToolServerRequest request, ServerCallContext context) =>
        tools.PutAsync(request, AdminActor.From(context.RequestHeaders.GetValue(AdminActor.Header)), context.CancellationToken);

    public override Task<ToolRegistry> ListToolServers(GetToolRegistryRequest request, ServerCallContext context) =>
        tools.ListAsync(request.TenantId, context.CancellationToken);

    public override Task<DeleteToolServerResponse> DeleteToolServer(DeleteToolServerRequest request, ServerCallContext context) =>
        tools.DeleteAsync(request, AdminActor.From(context.RequestHeaders.GetValue(AdminActor.Header)), context.CancellationToken);

    public override Task<TestToolServerResponse> TestToolServer(TestToolServerRequest request, ServerCallContext context) =>
        tools.TestAsync(request, context.CancellationToken);
}
