using Grpc.Core;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Edge.Errors;
using HybridAI.Edge.Telemetry;
using HybridAI.Governance.Client;
using HybridAI.Governance.Client.Policies;
using Microsoft.Extensions.Options;

namespace HybridAI.Edge.Gate;

/// <summary>
/// Counts each request against the tenant's and the key's request limits in governance (shared by every edge replica).
/// Tenants whose policy sets no request limit skip the call: their policy is read from a cache refreshed every
/// <c>GovernanceClient:PolicyRefreshSeconds</c>, so a new limit applies within that time.
/// </summary>
public sealed partial class RateLimitGate(
    GovernanceService.GovernanceServiceClient client, TenantPolicyCache policies, IOptions<GovernanceClientOptions> governance,
    IOptions<EdgeOptions> options, EdgeTelemetry telemetry, ILogger<RateLimitGate> logger)
{
    public const string RemainingRequestsHeader = "x-ratelimit-remaining-requests";

    /// <summary>Null when the request may proceed; else the refusal to send.</summary>
    public async Task<EdgeError?> CheckAsync(HttpContext context, AuthorizeKeyResponse key)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var policy = await policies.GetAsync(key.TenantId, cancellationToken);
            if ((policy.RateLimits?.RequestsPerMinute ?? 0) <= 0 && (policy.KeyRateLimits?.RequestsPerMinute ?? 0) <= 0)
            {
                return null;
            }

            var answer = await client.CheckRateLimitAsync(
                new CheckRateLimitRequest { TenantId = key.TenantId, KeyId = key.KeyId, Requests = 1 },
                deadline: DateTime.UtcNow.Add(governance.Value.CallTimeout), cancellationToken: cancellationToken);
            if (answer.RemainingRequests >= 0)
            {
                context.Response.Headers[RemainingRequestsHeader] = answer.RemainingRequests.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return answer.Allowed ? null : EdgeError.RateLimited(Math.Max(1, (int)Math.Ceiling(answer.RetryAfterMs / 1000.0)));
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            if (!options.Value.RateLimitFailOpen)
            {
                LogRefused(logger, key.TenantId, e.StatusCode);
                return EdgeError.GovernanceUnavailable();
            }

            telemetry.RateLimitFailedOpen();
            LogFailOpen(logger, key.TenantId, e.StatusCode);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate-limit check for tenant {Tenant} failed ({Status}); request let through (Edge:RateLimitFailOpen).")]
    private static partial void LogFailOpen(ILogger logger, string tenant, StatusCode status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate-limit check for tenant {Tenant} failed ({Status}); request refused (Edge:RateLimitFailOpen is false).")]
    private static partial void LogRefused(ILogger logger, string tenant, StatusCode status);
}
