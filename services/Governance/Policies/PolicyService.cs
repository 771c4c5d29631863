using System.Collections.Concurrent;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.Policies;

/// <summary>
/// Tenant policies: validated writes (each audited in the ledger) and a per-replica cache that is hot-reloaded:
/// a write updates this replica at once and notifies the others through <see cref="IPolicyChangeNotifier"/>
/// (Redis pub/sub), and <see cref="RefreshAsync"/> re-reads versions every <c>Governance:PolicyRefreshSeconds</c>
/// in case a notice was missed, so every replica serves a change within that bound.
/// </summary>
public sealed class PolicyService(
    IPolicyStore store, ITenantStore tenants, TargetCatalogue catalogue, IPolicyChangeNotifier notifier, TimeProvider clock,
    ILogger<PolicyService> logger)
{
    public const int MaxHistory = 500;

    private readonly ConcurrentDictionary<string, TenantPolicy> _cache = new(StringComparer.Ordinal);

    /// <summary>The policy a tenant has before any is written: every target, redaction, no budgets, no limits.</summary>
    public static TenantPolicy Default(string tenantId) => new()
    {
        TenantId = tenantId,
        Version = 0,
        PiiMode = PiiMode.Redact,
        RateLimits = new RateLimits(),
        KeyRateLimits = new RateLimits(),
    };

    /// <summary>The tenant's current policy (cached; never null). Callers must not modify it.</summary>
    public async Task<TenantPolicy> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(tenantId, out var cached))
        {
            return cached;
        }

        var loaded = await store.GetLatestAsync(tenantId, cancellationToken) ?? Default(tenantId);
        return _cache.GetOrAdd(tenantId, loaded);
    }

    /// <summary>The policy of a tenant that must exist (admin reads).</summary>
    public async Task<TenantPolicy> GetForTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await RequireTenantAsync(tenantId, cancellationToken);
        return await GetAsync(tenantId, cancellationToken);
    }

    public async Task<TenantPolicy> PutAsync(PutPolicyRequest request, string actor, CancellationToken cancellationToken)
    {
        var policy = request.Policy ?? new TenantPolicy();
        await RequireTenantAsync(policy.TenantId, cancellationToken);
        if (policy.PiiMode == PiiMode.Unspecified)
        {
            policy = policy.Clone();
            policy.PiiMode = PiiMode.Redact;
        }

        var snapshot = await catalogue.GetAsync(cancellationToken);
        if (snapshot is null && policy.AllowedTargets.Count + policy.Overrides.Count > 0)
        {
            logger.LogWarning("No target catalogue is available (no Governance:Targets:Known, llm-proxy not configured or down): "
                + "the targets in tenant {Tenant}'s policy are stored unchecked.", policy.TenantId);
        }

        var problems = PolicyValidator.Validate(policy, snapshot);
        if (request.ExpectedVersion < 0)
        {
            problems.Add(new Problem("expected_version", $"must be 0 (no check) or a version number, but is {request.ExpectedVersion}."));
        }

        Throw.IfAny($"The policy of tenant '{policy.TenantId}'", problems);
        var stored = await store.PutAsync(policy, request.ExpectedVersion, actor, clock.GetUtcNow(), cancellationToken);
        _cache[stored.TenantId] = stored;
        await notifier.PublishAsync(stored.TenantId, stored.Version);
        logger.LogInformation("Policy of tenant {Tenant} is now version {Version} (by {Actor}).", stored.TenantId, stored.Version, actor);
        return stored;
    }

    public async Task<ListPolicyVersionsResponse> ListVersionsAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        if (limit is < 0 or > MaxHistory)
        {
            Throw.IfAny("The request", [new Problem("limit", $"must be between 0 (default 50) and {MaxHistory}, but is {limit}.")]);
        }

        await RequireTenantAsync(tenantId, cancellationToken);
        var response = new ListPolicyVersionsResponse();
        response.Versions.AddRange(await store.ListVersionsAsync(tenantId, limit == 0 ? 50 : limit, cancellationToken));
        return response;
    }

    /// <summary>Drops a tenant's cached policy when another replica announced a newer version.</summary>
    public void OnChanged(string tenantId, int version)
    {
        if (_cache.TryGetValue(tenantId, out var cached) && cached.Version < version)
        {
            _cache.TryRemove(KeyValuePair.Create(tenantId, cached));
        }
    }

    /// <summary>Re-reads the version of every tenant and drops cached policies that are behind.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var versions = await store.GetVersionsAsync(cancellationToken);
        foreach (var (tenantId, cached) in _cache)
        {
            if (versions.TryGetValue(tenantId, out var latest) ? latest != cached.Version : cached.Version != 0)
            {
                _cache.TryRemove(KeyValuePair.Create(tenantId, cached));
            }
        }
    }

    private async Task RequireTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        TenantRules.CheckTenantId("tenant_id", tenantId, problems);
        Throw.IfAny("The tenant id", problems);
        _ = await tenants.GetTenantAsync(tenantId, cancellationToken) ?? throw new NotFoundException("tenant", tenantId);
    }
}
