using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Policies;
using HybridAI.Governance.Tenants;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.Budgets;

/// <summary>The budget API: validates requests, applies the tenant's policy (limits, max cost per request) to the escrow.</summary>
public sealed class BudgetService(
    IBudgetEscrow escrow, PolicyService policies, KnownTenants tenants, TimeProvider clock, IOptions<GovernanceOptions> options)
{
    public const int MaxIdLength = 128;

    public async Task<ReserveBudgetResponse> ReserveAsync(ReserveBudgetRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        CheckId("request_id", request.RequestId, problems);
        if (request.AmountMicros <= 0)
        {
            problems.Add(new("amount_micros", $"must be positive, but is {request.AmountMicros}."));
        }

        var maxTtl = (int)BudgetPeriods.MaxTtl.TotalSeconds;
        if (request.TtlSeconds is < 0 or > 3600)
        {
            problems.Add(new("ttl_seconds", $"must be between 0 (default {options.Value.DefaultReservationTtlSeconds}) and {maxTtl}, but is {request.TtlSeconds}."));
        }

        Throw.IfAny("The reservation", problems);
        await tenants.RequireAsync(request.TenantId, cancellationToken);
        var policy = await policies.GetAsync(request.TenantId, cancellationToken);
        if (policy.MaxCostPerRequestMicros > 0 && request.AmountMicros > policy.MaxCostPerRequestMicros)
        {
            throw new PreconditionFailedException(
                $"The worst-case cost {request.AmountMicros} micros exceeds tenant '{request.TenantId}''s max_cost_per_request_micros ({policy.MaxCostPerRequestMicros}).",
                $"tenants/{request.TenantId}/policy/max_cost_per_request_micros");
        }

        var now = clock.GetUtcNow();
        var ttl = TimeSpan.FromSeconds(request.TtlSeconds == 0 ? options.Value.DefaultReservationTtlSeconds : request.TtlSeconds);
        var limits = Limits(policy);
        using var activity = GovernanceTelemetry.Source.StartActivity("budget reserve");
        activity?.SetTag("hybridai.tenant", request.TenantId);
        var result = await escrow.ReserveAsync(new ReserveCommand(request.TenantId, request.RequestId, request.AmountMicros, ttl, limits, now), cancellationToken);
        GovernanceTelemetry.Reservations.Add(1, new("hybridai.tenant", request.TenantId), new("result", Snake(result.Status)));
        activity?.SetTag("hybridai.budget.result", Snake(result.Status));
        switch (result.Status)
        {
            case ReserveStatus.Exhausted:
                var state = result.Budgets.First(b => b.Period == result.ExhaustedPeriod);
                // Spent money comes back only with the next period; reserved money comes back when requests finish.
                var retryAfter = state.SpentMicros + request.AmountMicros > state.LimitMicros
                    ? BudgetPeriods.End(state.Period, now) - now
                    : TimeSpan.FromSeconds(1);
                throw new BudgetExhaustedException(
                    $"Tenant '{request.TenantId}''s {state.Period} budget would be exceeded: limit {state.LimitMicros}, spent {state.SpentMicros}, "
                    + $"reserved {state.ReservedMicros}, requested {request.AmountMicros} micros.", state.Period, retryAfter);
            case ReserveStatus.AlreadyCompleted:
                throw new PreconditionFailedException(
                    $"Reservation '{request.RequestId}' was already settled or released; use a new request id.", $"reservations/{request.RequestId}");
            default:
                var response = new ReserveBudgetResponse { ReservationId = request.RequestId };
                response.Budgets.AddRange(result.Budgets.Select(ToContract));
                return response;
        }
    }

    public async Task<SettleBudgetResponse> SettleAsync(SettleBudgetRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        CheckId("reservation_id", request.ReservationId, problems);
        if (request.ActualMicros < 0)
        {
            problems.Add(new("actual_micros", $"must be 0 or positive, but is {request.ActualMicros}."));
        }

        Throw.IfAny("The settlement", problems);
        await tenants.RequireAsync(request.TenantId, cancellationToken);
        var policy = await policies.GetAsync(request.TenantId, cancellationToken);
        var result = await escrow.SettleAsync(request.TenantId, request.ReservationId, request.ActualMicros, Limits(policy), clock.GetUtcNow(), cancellationToken);
        GovernanceTelemetry.SettledMicros.Add(request.ActualMicros, new KeyValuePair<string, object?>("hybridai.tenant", request.TenantId));
        var response = new SettleBudgetResponse { ReservationExpired = !result.ReservationFound && !result.AlreadySettled };
        response.Budgets.AddRange(result.Budgets.Select(ToContract));
        return response;
    }

    public async Task<ReleaseBudgetResponse> ReleaseAsync(ReleaseBudgetRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        CheckId("reservation_id", request.ReservationId, problems);
        Throw.IfAny("The release", problems);
        await tenants.RequireAsync(request.TenantId, cancellationToken);
        // Releasing an unknown or expired reservation is not an error: the caller's intent (nothing held) is met.
        await escrow.ReleaseAsync(request.TenantId, request.ReservationId, clock.GetUtcNow(), cancellationToken);
        return new ReleaseBudgetResponse();
    }

    public async Task<IReadOnlyList<BudgetState>> StateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(tenantId, cancellationToken);
        var state = await escrow.GetStateAsync(tenantId, Limits(policy), clock.GetUtcNow(), cancellationToken);
        return state.Select(ToContract).ToList();
    }

    private static string Snake(ReserveStatus status) => status switch
    {
        ReserveStatus.Reserved => "reserved",
        ReserveStatus.AlreadyReserved => "already_reserved",
        ReserveStatus.AlreadyCompleted => "already_completed",
        _ => "exhausted",
    };

    private static List<BudgetLimit> Limits(TenantPolicy policy) => policy.Budgets.Select(b => new BudgetLimit(b.Period, b.LimitMicros)).ToList();

    private static BudgetState ToContract(BudgetSnapshot s) =>
        new() { Period = s.Period, LimitMicros = s.LimitMicros, SpentMicros = s.SpentMicros, ReservedMicros = s.ReservedMicros };

    private static void CheckId(string field, string value, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxIdLength)
        {
            problems.Add(new(field, $"is required (1-{MaxIdLength} characters)."));
        }
    }
}
