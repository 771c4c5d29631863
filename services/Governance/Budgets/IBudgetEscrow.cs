namespace HybridAI.Governance.Budgets;

/// <summary>
/// Budget escrow: the worst-case cost of a request is reserved before dispatch, settled to the actual cost after it,
/// or released on failure; an unsettled reservation frees itself when its time to live runs out. The invariant, under
/// any concurrency: for each period, spent + reserved never exceeds the limit because of a reservation (a settle may
/// record more than was reserved when a provider's bill exceeds the worst case; the truth is recorded, not capped).
/// Two implementations honour this one contract: Redis (shared by every replica) and in-process (one node).
/// </summary>
public interface IBudgetEscrow
{
    Task<ReserveResult> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken);

    Task<SettleResult> SettleAsync(string tenantId, string reservationId, long actualMicros, IReadOnlyList<BudgetLimit> limits,
        DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Frees a reservation; false when it was unknown, already settled, released or expired.</summary>
    Task<bool> ReleaseAsync(string tenantId, string reservationId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Spent and reserved amounts of the current day and month (expired reservations reclaimed first).</summary>
    Task<IReadOnlyList<BudgetSnapshot>> GetStateAsync(string tenantId, IReadOnlyList<BudgetLimit> limits, DateTimeOffset now,
        CancellationToken cancellationToken);
}

/// <summary>A limit per period (<c>day</c> or <c>month</c>, UTC); 0 or absent means unlimited.</summary>
public sealed record BudgetLimit(string Period, long LimitMicros);

public sealed record ReserveCommand(
    string TenantId, string ReservationId, long AmountMicros, TimeSpan Ttl, IReadOnlyList<BudgetLimit> Limits, DateTimeOffset Now);

public sealed record BudgetSnapshot(string Period, long LimitMicros, long SpentMicros, long ReservedMicros);

public enum ReserveStatus
{
    Reserved,

    /// <summary>The same reservation id is already held: nothing new was reserved (a retried call).</summary>
    AlreadyReserved,

    /// <summary>The reservation id was settled or released before: it cannot be reserved again.</summary>
    AlreadyCompleted,

    /// <summary>A period's limit would be exceeded; <see cref="ReserveResult.ExhaustedPeriod"/> names it.</summary>
    Exhausted,
}

public sealed record ReserveResult(ReserveStatus Status, IReadOnlyList<BudgetSnapshot> Budgets, string? ExhaustedPeriod = null);

public sealed record SettleResult(bool ReservationFound, bool AlreadySettled, IReadOnlyList<BudgetSnapshot> Budgets);
