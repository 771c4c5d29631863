using System.Globalization;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.OperatorConsole.Quality;
using HybridAI.Governance.Policies;
using HybridAI.Quality.Calibration;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// The console's "Thresholds and calibration" section from governance's own records: the thresholds in force (the
/// tenant policy's over <c>Governance:Calibration:Defaults</c>), their history (threshold changes between policy
/// versions: approvals, auto-applies, rollbacks, hand edits; and proposals made and rejected) and the cost/quality
/// curve of the latest proposal.
/// </summary>
public sealed class CalibrationInsightsService(PolicyService policies, ICalibrationProposalStore proposals, IOptionsMonitor<CalibrationOptions> options)
    : ICalibrationInsights
{
    /// <summary>Policy versions and proposals read for the history (each newest first).</summary>
    public const int HistoryDepth = 50;

    public async Task<CalibrationInsights?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        IReadOnlyList<TenantPolicy> versions;
        try
        {
            versions = (await policies.ListVersionsAsync(tenantId, HistoryDepth, cancellationToken)).Versions;
        }
        catch (NotFoundException)
        {
            // The console shows "no calibration" for a tenant that does not exist rather than an error page.
            return null;
        }

        var policy = await policies.GetAsync(tenantId, cancellationToken);
        var recent = await proposals.ListAsync(tenantId, HistoryDepth, cancellationToken);
        var defaults = options.CurrentValue.Defaults;
        var history = VersionChanges(versions, defaults).Concat(ProposalEvents(recent, defaults))
            .OrderByDescending(c => c.Time).Take(HistoryDepth).ToList();
        var target = policy.Calibration?.Target is { Length: > 0 } stated ? stated : recent.Count > 0 ? recent[0].Target : "";
        if (history.Count == 0 && recent.Count == 0 && target.Length == 0)
        {
            return null;
        }

        var current = ThresholdSignals.All.Select(s => new ThresholdValue(s.Name(), ThresholdMapping.Effective(policy.Thresholds, s, defaults))).ToList();
        return new CalibrationInsights(current, history, recent.Count == 0 ? [] : Curve(recent[0]), target);
    }

    /// <summary>
    /// The latest proposal's curve of the signal it proposes (else the first signal with a curve), cheapest first, with
    /// the chosen point marked.
    /// </summary>
    public static IReadOnlyList<CostQualityPoint> Curve(CalibrationProposal proposal)
    {
        var signal = proposal.Signals.FirstOrDefault(s => s.Chosen is not null && s.Curve.Count > 0) ?? proposal.Signals.FirstOrDefault(s => s.Curve.Count > 0);
        if (signal is null)
        {
            return [];
        }

        return signal.Curve
            .OrderBy(p => p.CostMicros).ThenBy(p => p.Threshold)
            .Select(p => new CostQualityPoint(
                p.Threshold.ToString("0.###", CultureInfo.InvariantCulture),
                CostPer1kUsd: p.CostMicros / 1_000, // micro-dollars per request × 1,000 requests / 1,000,000
                p.Parity,
                p.LlmShare,
                Chosen: signal.Chosen is { } chosen && p.Threshold == chosen.Threshold))
            .ToList();
    }

    /// <summary>Each change of a tenant's own threshold between consecutive policy versions (newest first).</summary>
    private static IEnumerable<ThresholdChange> VersionChanges(IReadOnlyList<TenantPolicy> versions, DefaultThresholds defaults)
    {
        for (var i = 0; i < versions.Count; i++)
        {
            var version = versions[i];
            // The oldest version kept is compared with "no thresholds of its own" only when it is the first one.
            RoutingThresholds? before;
            if (i + 1 < versions.Count)
            {
                before = versions[i + 1].Thresholds;
            }
            else if (version.Version == 1)
            {
                before = null;
            }
            else
            {
                yield break;
            }

            var (status, actor) = Attribution(version.UpdatedBy);
            foreach (var signal in ThresholdSignals.All)
            {
                if (ThresholdMapping.Get(before, signal) != ThresholdMapping.Get(version.Thresholds, signal))
                {
                    yield return new ThresholdChange(Time(version.UpdatedAt), signal.Name(), ThresholdMapping.Effective(before, signal, defaults),
                        ThresholdMapping.Effective(version.Thresholds, signal, defaults), status, actor);
                }
            }
        }
    }

    /// <summary>Proposals as they were made, and the rejections (approvals are policy versions, above).</summary>
    private static IEnumerable<ThresholdChange> ProposalEvents(IReadOnlyList<CalibrationProposal> recent, DefaultThresholds defaults)
    {
        foreach (var proposal in recent)
        {
            foreach (var signal in ThresholdSignals.All)
            {
                if (ThresholdMapping.Get(proposal.Proposed, signal) is not { } to)
                {
                    continue;
                }

                var from = ThresholdMapping.Effective(proposal.Current, signal, defaults);
                yield return new ThresholdChange(Time(proposal.CreatedAt), signal.Name(), from, to, "proposed", $"calibration proposal {proposal.Id}");
                if (proposal.State == ProposalState.Rejected)
                {
                    yield return new ThresholdChange(Time(proposal.DecidedAt), signal.Name(), from, to, "rejected", proposal.DecidedBy);
                }
            }
        }
    }

    /// <summary>The status and actor of a policy version from its <c>updated_by</c> (written by <see cref="CalibrationService"/>).</summary>
    private static (string Status, string Actor) Attribution(string updatedBy)
    {
        if (updatedBy.IndexOf(CalibrationService.ApprovalMarker, StringComparison.Ordinal) is var approval and >= 0)
        {
            var actor = updatedBy[..approval];
            return (actor == CalibrationService.AutoApplyActor ? "auto-applied" : "approved", actor);
        }

        return updatedBy.IndexOf(CalibrationService.RollbackMarker, StringComparison.Ordinal) is var rollback and >= 0
            ? ("rolled back", updatedBy[..rollback])
            : ("set", updatedBy);
    }

    private static DateTimeOffset Time(Google.Protobuf.WellKnownTypes.Timestamp? timestamp) =>
        timestamp?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch;
}
