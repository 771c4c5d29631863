using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Policies;
using HybridAI.Quality.Calibration;
using Microsoft.Extensions.Options;
using QualitySettings = HybridAI.Quality.Calibration.CalibrationSettings;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// Per-tenant threshold calibration: computes proposals from the tenant's samples against the target in its policy,
/// and applies them (approval or auto-apply) and rolls them back as new policy versions, so every change is versioned,
/// attributed and in the audit ledger like any other policy change.
/// </summary>
public sealed class CalibrationService(
    ICalibrationSampleSource samples, ICalibrationProposalStore store, PolicyService policies, IOptionsMonitor<CalibrationOptions> options,
    TimeProvider clock, ILogger<CalibrationService> logger)
{
    public const string AutoApplyActor = "calibration:auto-apply";
    public const int MaxList = 200;

    /// <summary>How an approval is attributed in the policy version's <c>updated_by</c>: <c>actor (calibration proposal id)</c>.</summary>
    public const string ApprovalMarker = " (calibration proposal ";

    /// <summary>How a rollback is attributed: <c>actor (threshold rollback to those of version n)</c>.</summary>
    public const string RollbackMarker = " (threshold rollback to those of version ";

    /// <summary>
    /// Computes a proposal for the tenant from the samples of the configured window, stores it (superseding pending
    /// ones) and applies it when the tenant's policy says <c>auto_apply</c>. <paramref name="id"/> makes scheduled runs
    /// idempotent across replicas; null: a fresh id. Returns null when that id already exists.
    /// </summary>
    public async Task<CalibrationProposal?> ProposeAsync(string tenantId, string? id, CancellationToken cancellationToken)
    {
        var policy = await policies.GetForTenantAsync(tenantId, cancellationToken);
        if (string.IsNullOrWhiteSpace(policy.Calibration?.Target))
        {
            throw new PreconditionFailedException(
                $"Tenant '{tenantId}' has no calibration target: set calibration.target in its policy (e.g. \"parity>=0.95\" or \"llm-share<=0.30\").",
                $"tenants/{tenantId}/policy");
        }

        var settings = options.CurrentValue;
        var target = CalibrationTarget.Parse(policy.Calibration.Target);
        var now = clock.GetUtcNow();
        var from = now.AddHours(-settings.WindowHours);
        var observed = await samples.GetSamplesAsync(tenantId, from, now, cancellationToken);
        var calibration = new QualitySettings { MinSamples = settings.MinSamples, Z = settings.Z, MaxCurvePoints = settings.MaxCurvePoints };

        var proposal = new CalibrationProposal
        {
            Id = id ?? $"cal_{now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}_{Guid.NewGuid().ToString("N")[..8]}",
            TenantId = tenantId,
            CreatedAt = Timestamp.FromDateTimeOffset(now),
            Target = target.ToString(),
            PolicyVersion = policy.Version,
            Current = policy.Thresholds?.Clone() ?? new RoutingThresholds(),
            Proposed = new RoutingThresholds(),
            WindowFrom = Timestamp.FromDateTimeOffset(from),
            WindowTo = Timestamp.FromDateTimeOffset(now),
        };
        foreach (var signal in ThresholdSignals.All)
        {
            var current = ThresholdMapping.Effective(policy.Thresholds, signal, settings.Defaults);
            var result = Calibrator.Calibrate(observed, signal, target, current, calibration);
            proposal.Signals.Add(ThresholdMapping.ToProto(result, current));
            if (result.Chosen is { } chosen && chosen.Threshold != current)
            {
                ThresholdMapping.Set(proposal.Proposed, signal, chosen.Threshold);
            }
        }

        var changes = proposal.Signals.Where(s => ThresholdSignals.TryParse(s.Signal, out var k) && ThresholdMapping.Get(proposal.Proposed, k) is not null).ToList();
        proposal.State = changes.Count > 0 ? ProposalState.Pending : ProposalState.NoChange;
        proposal.Message = changes.Count > 0
            ? string.Join(" ", changes.Select(s => s.Message))
            : $"Nothing to apply for {target} on {observed.Count} sample(s): " + string.Join(" ", proposal.Signals.Select(s => $"[{s.Signal}: {s.Message}]"));

        if (!await store.AddAsync(proposal, cancellationToken))
        {
            return null;
        }

        logger.LogInformation("Calibration proposal {Proposal} for tenant {Tenant}: {State} ({Samples} samples, target {Target}).",
            proposal.Id, tenantId, proposal.State, observed.Count, proposal.Target);
        if (proposal.State == ProposalState.Pending && policy.Calibration.AutoApply)
        {
            await ApproveAsync(tenantId, proposal.Id, AutoApplyActor, cancellationToken);
            return await store.GetAsync(tenantId, proposal.Id, cancellationToken);
        }

        return proposal;
    }

    /// <summary>One scheduled pass: a proposal for every tenant whose policy enables calibration.</summary>
    public async Task RunScheduledAsync(IEnumerable<string> tenantIds, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMinutes(options.CurrentValue.IntervalMinutes);
        var slot = clock.GetUtcNow().ToUnixTimeMilliseconds() / (long)interval.TotalMilliseconds;
        foreach (var tenantId in tenantIds)
        {
            var policy = await policies.GetAsync(tenantId, cancellationToken);
            if (policy.Calibration is not { Enabled: true } || string.IsNullOrWhiteSpace(policy.Calibration.Target))
            {
                continue;
            }

            try
            {
                await ProposeAsync(tenantId, $"cal_{tenantId}_{slot.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
            }
            catch (GovernanceException e)
            {
                // One tenant's failure (its policy changed under the approval, say) must not stop the others.
                logger.LogWarning(e, "Scheduled calibration of tenant {Tenant} failed: {Message}", tenantId, e.Message);
            }
        }
    }

    public async Task<ListCalibrationProposalsResponse> ListAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 0 or > MaxList)
        {
            Throw.IfAny("The request", [new Problem("limit", $"must be between 0 (default 20) and {MaxList}, but is {limit}.")]);
        }

        await policies.GetForTenantAsync(tenantId, cancellationToken);
        var response = new ListCalibrationProposalsResponse();
        response.Proposals.AddRange(await store.ListAsync(tenantId, limit == 0 ? 20 : limit, cancellationToken));
        return response;
    }

    public async Task<CalibrationProposal> GetAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        await policies.GetForTenantAsync(tenantId, cancellationToken);
        return await store.GetAsync(tenantId, id, cancellationToken) ?? throw new NotFoundException("calibration proposal", $"{tenantId}/{id}");
    }

    /// <summary>Applies a pending proposal as a new policy version (in the ledger, attributed to <paramref name="actor"/>).</summary>
    public async Task<TenantPolicy> ApproveAsync(string tenantId, string id, string actor, CancellationToken cancellationToken)
    {
        var proposal = await RequirePendingAsync(tenantId, id, cancellationToken);
        var policy = await policies.GetForTenantAsync(tenantId, cancellationToken);
        if (!policy.Thresholds.SameAs(proposal.Current))
        {
            throw new PreconditionFailedException(
                $"The thresholds of tenant '{tenantId}' changed since proposal '{id}' was computed (against policy version {proposal.PolicyVersion}; now {policy.Version}): run calibration again.",
                $"tenants/{tenantId}/calibration/proposals/{id}");
        }

        var updated = policy.Clone();
        updated.Thresholds = ThresholdMapping.Merge(policy.Thresholds, proposal.Proposed);
        var stored = await policies.PutAsync(new PutPolicyRequest { Policy = updated, ExpectedVersion = policy.Version },
            $"{actor}{ApprovalMarker}{id})", cancellationToken);
        await store.DecideAsync(tenantId, id, ProposalState.Approved, actor, clock.GetUtcNow(), stored.Version, cancellationToken);
        return stored;
    }

    public async Task<CalibrationProposal> RejectAsync(string tenantId, string id, string actor, CancellationToken cancellationToken)
    {
        await RequirePendingAsync(tenantId, id, cancellationToken);
        return await store.DecideAsync(tenantId, id, ProposalState.Rejected, actor, clock.GetUtcNow(), 0, cancellationToken)
            ?? throw NotPending(tenantId, id, "decided by someone else meanwhile");
    }

    /// <summary>
    /// Restores the thresholds in force before the current ones (the newest earlier policy version whose thresholds
    /// differ) as a new policy version; the rest of the policy stays as it is now.
    /// </summary>
    public async Task<TenantPolicy> RollbackAsync(string tenantId, string actor, CancellationToken cancellationToken)
    {
        var versions = (await policies.ListVersionsAsync(tenantId, PolicyService.MaxHistory, cancellationToken)).Versions;
        if (versions.Count == 0)
        {
            throw new PreconditionFailedException($"Tenant '{tenantId}' has no policy versions: there are no thresholds to roll back.", $"tenants/{tenantId}/policy");
        }

        var current = versions[0];
        var previous = versions.Skip(1).FirstOrDefault(v => !v.Thresholds.SameAs(current.Thresholds))
            ?? throw new PreconditionFailedException(
                $"Tenant '{tenantId}' has had its current thresholds in every kept policy version: there is nothing to roll back to.", $"tenants/{tenantId}/policy");
        var updated = current.Clone();
        updated.Thresholds = previous.Thresholds?.Clone() ?? new RoutingThresholds();
        return await policies.PutAsync(new PutPolicyRequest { Policy = updated, ExpectedVersion = current.Version },
            $"{actor}{RollbackMarker}{previous.Version})", cancellationToken);
    }

    private async Task<CalibrationProposal> RequirePendingAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        var proposal = await GetAsync(tenantId, id, cancellationToken);
        return proposal.State == ProposalState.Pending ? proposal : throw NotPending(tenantId, id, $"it is {StateName(proposal.State)}");
    }

    private static PreconditionFailedException NotPending(string tenantId, string id, string why) =>
        new($"Calibration proposal '{id}' of tenant '{tenantId}' cannot be decided: {why}; only pending proposals can be approved or rejected.",
            $"tenants/{tenantId}/calibration/proposals/{id}");

    public static string StateName(ProposalState state) => state switch
    {
        ProposalState.Pending => "pending",
        ProposalState.Approved => "approved",
        ProposalState.Rejected => "rejected",
        ProposalState.Superseded => "superseded",
        ProposalState.NoChange => "no_change",
        _ => "unspecified",
    };
}
