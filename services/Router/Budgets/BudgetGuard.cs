using Grpc.Core;
using HybridAI.Governance.Client.Budgets;
using HybridAI.Router.Errors;
using HybridAI.Router.Requests;
using HybridAI.Router.Telemetry;
using Microsoft.Extensions.Options;

namespace HybridAI.Router.Budgets;

/// <summary>
/// Reserves a request's worst-case cost with governance before an LLM call (the reservation id is the request id, so a
/// retry reserves nothing more), and turns refusals into the pipeline's failures: an exhausted budget is 429 with
/// governance's retry hint, a per-request limit is a policy block. When governance cannot be reached the request fails
/// (503) unless <c>Router:Budget:FailOpen</c> lets it through unreserved.
/// </summary>
public sealed partial class BudgetGuard(BudgetClient budgets, IOptions<RouterOptions> options, RouterTelemetry telemetry, ILogger<BudgetGuard> logger)
{
    /// <summary>A held reservation, or null when nothing needs reserving (free targets, budgets off, fail-open outage).</summary>
    public async Task<BudgetReservation?> ReserveAsync(Caller caller, long worstCaseMicros, CancellationToken cancellationToken)
    {
        var o = options.Value.Budget;
        if (!o.Enabled || worstCaseMicros <= 0)
        {
            return null;
        }

        try
        {
            return await budgets.ReserveAsync(caller.TenantId, caller.RequestId, worstCaseMicros, o.ReservationTtl, cancellationToken);
        }
        catch (BudgetExhaustedException e)
        {
            throw new RoutingException(FailureKind.Exhausted, "budget_exceeded", $"The tenant's budget does not cover this request: {e.Message}", inner: e)
            {
                RetryAfter = e.RetryAfter > TimeSpan.Zero ? e.RetryAfter : TimeSpan.FromSeconds(1),
            };
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
        {
            throw new RoutingException(FailureKind.Blocked, "cost_limit", $"The tenant's policy refuses this request's cost: {e.Status.Detail}", inner: e);
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
        {
            if (o.FailOpen)
            {
                LogFailOpen(logger, caller.RequestId, e.StatusCode);
                telemetry.BudgetUnreserved(caller.TenantId);
                return null;
            }

            throw RoutingException.Unavailable("budget_unavailable",
                $"The budget could not be reserved (governance answered {e.StatusCode}); LLM calls are refused until it answers (Router:Budget:FailOpen=false).",
                TimeSpan.FromSeconds(1), e);
        }
    }

    /// <summary>Settles to the actual cost; a failure to settle leaves the reservation to expire by itself (logged, never thrown).</summary>
    public async Task SettleAsync(BudgetReservation? reservation, long actualMicros)
    {
        if (reservation is null)
        {
            return;
        }

        try
        {
            // Not the caller's token: a client that left still spent the money.
            await reservation.SettleAsync(actualMicros, CancellationToken.None);
        }
        catch (RpcException e)
        {
            LogSettleFailed(logger, reservation.ReservationId, actualMicros, e.StatusCode);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Governance unreachable ({Status}); request {RequestId} goes ahead without a budget reservation (Router:Budget:FailOpen)")]
    private static partial void LogFailOpen(ILogger logger, string requestId, StatusCode status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Settling reservation {Reservation} at {Micros} micro-USD failed ({Status}); it expires at its TTL")]
    private static partial void LogSettleFailed(ILogger logger, string reservation, long micros, StatusCode status);
}
