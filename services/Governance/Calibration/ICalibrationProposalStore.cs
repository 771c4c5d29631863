using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Calibration;

/// <summary>Calibration proposals, per tenant; a proposal is only ever read through its tenant.</summary>
public interface ICalibrationProposalStore
{
    /// <summary>
    /// Stores a new proposal and marks the tenant's pending ones superseded, atomically. False when a proposal with
    /// this id exists (another replica already ran this schedule slot).
    /// </summary>
    Task<bool> AddAsync(CalibrationProposal proposal, CancellationToken cancellationToken);

    Task<CalibrationProposal?> GetAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's proposals, newest first.</summary>
    Task<IReadOnlyList<CalibrationProposal>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a pending proposal to <paramref name="state"/>; null when it is not pending any more (someone decided first).
    /// </summary>
    Task<CalibrationProposal?> DecideAsync(string tenantId, string id, ProposalState state, string actor, DateTimeOffset at, int appliedVersion,
        CancellationToken cancellationToken);
}
