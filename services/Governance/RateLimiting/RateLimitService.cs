using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Policies;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.RateLimiting;

/// <summary>
/// Applies a tenant's policy limits: <c>rate_limits</c> for the tenant as a whole and <c>key_rate_limits</c> for
/// each key. Bucket keys share the tenant's hash tag so one script call covers them on Redis Cluster too.
/// </summary>
public sealed class RateLimitService(IRateLimiter limiter, PolicyService policies, KnownTenants tenants, TimeProvider clock)
{
    public async Task<CheckRateLimitResponse> CheckAsync(CheckRateLimitRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        if (request.Requests < 0)
        {
            problems.Add(new("requests", $"must be 0 or positive, but is {request.Requests}."));
        }

        if (request.Tokens < 0)
        {
            problems.Add(new("tokens", $"must be 0 or positive, but is {request.Tokens}."));
        }

        if (request.Requests == 0 && request.Tokens == 0)
        {
            problems.Add(new("requests", "requests or tokens must be positive: there is nothing to count."));
        }

        if (request.KeyId.Length > 64)
        {
            problems.Add(new("key_id", "must be at most 64 characters."));
        }

        Throw.IfAny("The rate-limit check", problems);
        await tenants.RequireAsync(request.TenantId, cancellationToken);
        var policy = await policies.GetAsync(request.TenantId, cancellationToken);

        var buckets = new List<RateBucket>(4);
        var tag = $"{{{request.TenantId}}}";
        Add(buckets, $"{tag}:t:r", RateDimension.Requests, policy.RateLimits?.RequestsPerMinute ?? 0, request.Requests, "rate_limits.requests_per_minute");
        Add(buckets, $"{tag}:t:t", RateDimension.Tokens, policy.RateLimits?.TokensPerMinute ?? 0, request.Tokens, "rate_limits.tokens_per_minute");
        if (request.KeyId.Length > 0)
        {
            Add(buckets, $"{tag}:k:{request.KeyId}:r", RateDimension.Requests, policy.KeyRateLimits?.RequestsPerMinute ?? 0, request.Requests, "key_rate_limits.requests_per_minute");
            Add(buckets, $"{tag}:k:{request.KeyId}:t", RateDimension.Tokens, policy.KeyRateLimits?.TokensPerMinute ?? 0, request.Tokens, "key_rate_limits.tokens_per_minute");
        }

        if (buckets.Count == 0)
        {
            return new CheckRateLimitResponse { Allowed = true, RemainingRequests = -1, RemainingTokens = -1 };
        }

        var decision = await limiter.AcquireAsync(buckets, clock.GetUtcNow(), cancellationToken);
        GovernanceTelemetry.RateLimitChecks.Add(1, new("hybridai.tenant", request.TenantId), new("decision", decision.Allowed ? "allowed" : "limited"));
        return new CheckRateLimitResponse
        {
            Allowed = decision.Allowed,
            RetryAfterMs = (int)Math.Min(int.MaxValue, decision.RetryAfter.TotalMilliseconds),
            RemainingRequests = decision.RemainingRequests,
            RemainingTokens = decision.RemainingTokens,
        };
    }

    private static void Add(List<RateBucket> buckets, string key, RateDimension dimension, int limit, int cost, string field)
    {
        if (limit <= 0 || cost == 0)
        {
            return;
        }

        if (cost > limit)
        {
            // GCRA would never admit it; waiting would not help, so this is not a retry-after answer.
            throw new PreconditionFailedException(
                $"{cost} {dimension.ToString().ToLowerInvariant()} in one call exceed the policy's {field} of {limit}: it can never be admitted.", field);
        }

        buckets.Add(new RateBucket(key, dimension, limit, cost));
    }
}
