using System.Collections.Concurrent;
using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Client.Policies;

/// <summary>
/// The router's view of tenant policies: each is re-read after <c>GovernanceClient:PolicyRefreshSeconds</c>, so a
/// change made through the admin API applies to routing within that time (plus one call). While governance is
/// unreachable the last known policy keeps being used (logged); a tenant never seen fails the request.
/// </summary>
public sealed class TenantPolicyCache(
    GovernanceService.GovernanceServiceClient client, IOptions<GovernanceClientOptions> options, TimeProvider clock,
    ILogger<TenantPolicyCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Raised when a newer version of a tenant's policy is seen.</summary>
    public event Action<TenantPolicy>? Changed;

    public async Task<TenantPolicy> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_entries.TryGetValue(tenantId, out var entry) && entry.ReadAt.AddSeconds(options.Value.PolicyRefreshSeconds) > now)
        {
            return entry.Policy;
        }

        try
        {
            var policy = await client.GetPolicyAsync(new GetPolicyRequest { TenantId = tenantId },
                deadline: DateTime.UtcNow.Add(options.Value.CallTimeout), cancellationToken: cancellationToken);
            _entries[tenantId] = new Entry(policy, now);
            if (entry is not null && policy.Version != entry.Policy.Version)
            {
                Changed?.Invoke(policy);
            }

            return policy;
        }
        catch (RpcException e) when (entry is not null && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded)
        {
            logger.LogWarning("Governance is unreachable ({Status}); using version {Version} of tenant {Tenant}'s policy.",
                e.StatusCode, entry.Policy.Version, tenantId);
            return entry.Policy;
        }
    }

    private sealed record Entry(TenantPolicy Policy, DateTimeOffset ReadAt);
}
