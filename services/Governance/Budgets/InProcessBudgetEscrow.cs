using System.Collections.Concurrent;

namespace HybridAI.Governance.Budgets;

/// <summary>
/// The escrow for a single node without Redis: the same contract and semantics as <see cref="RedisBudgetEscrow"/>,
/// with one lock per tenant standing in for the atomicity of a Lua script. State is lost on restart, which is why
/// it is only for local mode.
/// </summary>
public sealed class InProcessBudgetEscrow : IBudgetEscrow
{
    private readonly ConcurrentDictionary<string, TenantState> _tenants = new(StringComparer.Ordinal);

    public Task<ReserveResult> ReserveAsync(ReserveCommand command, CancellationToken cancellationToken)
    {
        var state = _tenants.GetOrAdd(command.TenantId, _ => new TenantState());
        lock (state)
        {
            var (day, month) = state.Current(command.Now);
            if (state.Reservations.ContainsKey(command.ReservationId))
            {
                return Task.FromResult(new ReserveResult(ReserveStatus.AlreadyReserved, Snapshot(day, month, command.Limits)));
            }

            if (state.Completed.ContainsKey(command.ReservationId))
            {
                return Task.FromResult(new ReserveResult(ReserveStatus.AlreadyCompleted, Snapshot(day, month, command.Limits)));
            }

            foreach (var (period, bucket) in new[] { (BudgetPeriods.Day, day), (BudgetPeriods.Month, month) })
            {
                var limit = BudgetPeriods.LimitOf(command.Limits, period);
                if (limit > 0 && bucket.Spent + bucket.Reserved + command.AmountMicros > limit)
                {
                    return Task.FromResult(new ReserveResult(ReserveStatus.Exhausted, Snapshot(day, month, command.Limits), period));
                }
            }

            day.Reserved += command.AmountMicros;
            month.Reserved += command.AmountMicros;
            state.Hold(command.ReservationId, new Reservation(command.AmountMicros, command.Now + command.Ttl, day, month));
            return Task.FromResult(new ReserveResult(ReserveStatus.Reserved, Snapshot(day, month, command.Limits)));
        }
    }

    public Task<SettleResult> SettleAsync(string tenantId, string reservationId, long actualMicros, IReadOnlyList<BudgetLimit> limits,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = _tenants.GetOrAdd(tenantId, _ => new TenantState());
        lock (state)
        {
            var (day, month) = state.Current(now);
            if (state.Completed.ContainsKey(reservationId))
            {
                return Task.FromResult(new SettleResult(false, true, Snapshot(day, month, limits)));
            }

            var found = state.Reservations.Remove(reservationId, out var reservation);
            var (chargeDay, chargeMonth) = (day, month);
            if (found)
            {
                reservation!.Day.Reserved -= reservation.Amount;
                reservation.Month.Reserved -= reservation.Amount;
                (chargeDay, chargeMonth) = (reservation.Day, reservation.Month);
            }

            // A late settle still charges: the money was spent whether or not the reservation outlived its TTL.
            chargeDay.Spent += actualMicros;
            chargeMonth.Spent += actualMicros;
            state.Complete(reservationId, now);
            return Task.FromResult(new SettleResult(found, false, Snapshot(day, month, limits)));
        }
    }

    public Task<bool> ReleaseAsync(string tenantId, string reservationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var state = _tenants.GetOrAdd(tenantId, _ => new TenantState());
        lock (state)
        {
            state.Current(now);
            if (!state.Reservations.Remove(reservationId, out var reservation))
            {
                return Task.FromResult(false);
            }

            reservation.Day.Reserved -= reservation.Amount;
            reservation.Month.Reserved -= reservation.Amount;
            state.Complete(reservationId, now);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<BudgetSnapshot>> GetStateAsync(string tenantId, IReadOnlyList<BudgetLimit> limits, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var state = _tenants.GetOrAdd(tenantId, _ => new TenantState());
        lock (state)
        {
            var (day, month) = state.Current(now);
            return Task.FromResult(Snapshot(day, month, limits));
        }
    }

    private static IReadOnlyList<BudgetSnapshot> Snapshot(Bucket day, Bucket month, IReadOnlyList<BudgetLimit> limits) =>
    [
        new(BudgetPeriods.Day, BudgetPeriods.LimitOf(limits, BudgetPeriods.Day), day.Spent, day.Reserved),
        new(BudgetPeriods.Month, BudgetPeriods.LimitOf(limits, BudgetPeriods.Month), month.Spent, month.Reserved),
    ];

    private sealed class Bucket
    {
        public long Spent;
        public long Reserved;
    }

    private sealed record Reservation(long Amount, DateTimeOffset ExpiresAt, Bucket Day, Bucket Month);

    private sealed class TenantState
    {
        private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
        private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();
        private readonly Queue<(string Id, DateTimeOffset At)> _completedOrder = new();
        private string _currentDay = "";

        public Dictionary<string, Reservation> Reservations { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTimeOffset> Completed { get; } = new(StringComparer.Ordinal);

        public void Hold(string id, Reservation reservation)
        {
            Reservations[id] = reservation;
            _expiries.Enqueue(id, reservation.ExpiresAt);
        }

        public void Complete(string id, DateTimeOffset at)
        {
            Completed[id] = at;
            _completedOrder.Enqueue((id, at));
        }

        /// <summary>Reclaims expired reservations, forgets old buckets and ids, and returns the current buckets.</summary>
        public (Bucket Day, Bucket Month) Current(DateTimeOffset now)
        {
            // Amortised O(log n) per expiry: the queue may hold ids already settled or released; those are skipped.
            while (_expiries.TryPeek(out var id, out var expiresAt) && expiresAt <= now)
            {
                _expiries.Dequeue();
                if (Reservations.TryGetValue(id, out var r) && r.ExpiresAt == expiresAt)
                {
                    r.Day.Reserved -= r.Amount;
                    r.Month.Reserved -= r.Amount;
                    Reservations.Remove(id);
                }
            }

            while (_completedOrder.TryPeek(out var done) && now - done.At > BudgetPeriods.CompletedRetention)
            {
                _completedOrder.Dequeue();
                if (Completed.TryGetValue(done.Id, out var at) && at == done.At)
                {
                    Completed.Remove(done.Id);
                }
            }

            var (day, previousDay, month, previousMonth) = BudgetPeriods.Buckets(now);
            if (day != _currentDay)
            {
                _currentDay = day;
                foreach (var stale in _buckets.Keys.Where(k => k != day && k != previousDay && k != month && k != previousMonth).ToList())
                {
                    _buckets.Remove(stale);
                }
            }

            return (Get(day), Get(month));
        }

        private Bucket Get(string id)
        {
            if (!_buckets.TryGetValue(id, out var bucket))
            {
                _buckets[id] = bucket = new Bucket();
            }

            return bucket;
        }
    }
}
