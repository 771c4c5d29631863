using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Policies;

/// <summary>Versioned tenant policies. Each version is kept; writing one also appends its change to the audit ledger.</summary>
public interface IPolicyStore
{
    /// <summary>The newest version of a tenant's policy, or null when none was ever written.</summary>
    Task<TenantPolicy?> GetLatestAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The newest version number of every tenant that has a policy (cheap: used to detect changes).</summary>
    Task<IReadOnlyDictionary<string, int>> GetVersionsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<TenantPolicy>> ListVersionsAsync(string tenantId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="policy"/> as version current+1 and its <see cref="PolicyChange"/> in the ledger, atomically.
    /// Fails with <see cref="Errors.PreconditionFailedException"/> when <paramref name="expectedVersion"/> (when positive)
    /// is not the current version.
    /// </summary>
    Task<TenantPolicy> PutAsync(TenantPolicy policy, int expectedVersion, string actor, DateTimeOffset now, CancellationToken cancellationToken);
}
