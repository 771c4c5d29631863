using System.Net;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Calibration;
using HybridAI.Governance.Tests.Api;
using HybridAI.Quality.Calibration;
using HybridAI.Testing.Redis;
using Microsoft.Extensions.DependencyInjection;

namespace HybridAI.Governance.Tests.Calibration;

public sealed class CalibrationGrpcTests(RedisServerFixture redis) : IDisposable
{
    private readonly GovernanceHost _host = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProposeApproveAndRollbackOverGrpcAreAttributedToTheActor()
    {
        await SetUpAsync("acme");
        var headers = new Metadata { { "authorization", $"Bearer {GovernanceHost.AdminKey}" }, { "x-admin-actor", "dana" } };

        var proposal = await _host.AdminGrpc.ProposeCalibrationAsync(new CalibrationRequest { TenantId = "acme" }, headers, cancellationToken: Ct);
        var approved = await _host.AdminGrpc.ApproveCalibrationProposalAsync(new CalibrationProposalRequest { TenantId = "acme", ProposalId = proposal.Id }, headers, cancellationToken: Ct);
        var rolledBack = await _host.AdminGrpc.RollbackThresholdsAsync(new CalibrationRequest { TenantId = "acme" }, headers, cancellationToken: Ct);

        Assert.Equal(ProposalState.Pending, proposal.State);
        Assert.Equal((2, proposal.Proposed.NeedsLlm), (approved.Version, approved.Thresholds.NeedsLlm));
        Assert.Equal($"admin:dana (calibration proposal {proposal.Id})", approved.UpdatedBy);
        Assert.Equal((3, 0.95), (rolledBack.Version, rolledBack.Thresholds.NeedsLlm));
        var listed = await _host.AdminGrpc.ListCalibrationProposalsAsync(new ListCalibrationProposalsRequest { TenantId = "acme" }, headers, cancellationToken: Ct);
        Assert.Equal(ProposalState.Approved, Assert.Single(listed.Proposals).State);
    }

    [Fact]
    public async Task AnotherTenantsProposalIsNotFoundAndADecidedOneIsAFailedPrecondition()
    {
        await SetUpAsync("acme");
        await SetUpAsync("globex");
        var proposal = await _host.AdminGrpc.ProposeCalibrationAsync(new CalibrationRequest { TenantId = "acme" }, GovernanceHost.AdminHeaders, cancellationToken: Ct);
        await _host.AdminGrpc.RejectCalibrationProposalAsync(new CalibrationProposalRequest { TenantId = "acme", ProposalId = proposal.Id }, GovernanceHost.AdminHeaders, cancellationToken: Ct);

        var foreign = await Assert.ThrowsAsync<RpcException>(() => _host.AdminGrpc.ApproveCalibrationProposalAsync(
            new CalibrationProposalRequest { TenantId = "globex", ProposalId = proposal.Id }, GovernanceHost.AdminHeaders, cancellationToken: Ct).ResponseAsync);
        var decided = await Assert.ThrowsAsync<RpcException>(() => _host.AdminGrpc.ApproveCalibrationProposalAsync(
            new CalibrationProposalRequest { TenantId = "acme", ProposalId = proposal.Id }, GovernanceHost.AdminHeaders, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, decided.StatusCode);
        Assert.Contains("it is rejected", decided.Status.Detail, StringComparison.Ordinal);
    }

    private async Task SetUpAsync(string tenant)
    {
        await _host.CreateTenantAsync(tenant);
        var put = await _host.PutPolicyAsync(tenant, """{ "calibration": { "enabled": true, "target": "parity>=0.9" }, "thresholds": { "needs_llm": 0.95 } }""");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var source = _host.Factory.Services.GetRequiredService<InMemoryCalibrationSampleSource>();
        var random = new Random(7);
        for (var i = 0; i < 1500; i++)
        {
            var p = Math.Round(random.NextDouble(), 3);
            source.Add(tenant, DateTimeOffset.UtcNow.AddMinutes(-5), new CalibrationSample(p, null, null, random.NextDouble() < 0.5 * p ? 0 : 1, 100, 2000));
        }
    }

    public void Dispose()
    {
        _ = redis;
        _host.Dispose();
    }
}
