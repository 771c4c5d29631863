using System.Collections.Concurrent;
using HybridAI.Governance.Errors;

namespace HybridAI.Governance.Tenants;

/// <summary>
/// Answers "does this tenant exist?" on hot paths (budgets, rate limits, receipts) from memory after the first
/// look-up. Only positive answers are cached: tenants are never deleted, and a tenant created a moment ago must
/// not be refused.
/// </summary>
public sealed class KnownTenants(ITenantStore store)
{
    private readonly ConcurrentDictionary<string, byte> _known = new(StringComparer.Ordinal);

    public async ValueTask<bool> ExistsAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_known.ContainsKey(tenantId))
        {
            return true;
        }

        if (!TenantRules.TenantId().IsMatch(tenantId) || await store.GetTenantAsync(tenantId, cancellationToken) is null)
        {
            return false;
        }

        _known.TryAdd(tenantId, 0);
        return true;
    }

    /// <summary>Validates the id and requires the tenant to exist.</summary>
    public async ValueTask RequireAsync(string tenantId, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        TenantRules.CheckTenantId("tenant_id", tenantId, problems);
        Throw.IfAny("The tenant id", problems);
        if (!await ExistsAsync(tenantId, cancellationToken))
        {
            throw new NotFoundException("tenant", tenantId);
        }
    }
}
