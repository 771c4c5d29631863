using System.Collections.Concurrent;

namespace HybridAI.Router.Shadow;

/// <summary>
/// Each tenant's shadow spend for the current UTC day, per router replica: a sample reserves its worst case before it
/// is queued and settles to what it really cost, so concurrent samples cannot together overrun the budget by more than
/// one sample's actual cost beyond its estimate. When a reservation does not fit, sampling stops for the day.
/// </summary>
public sealed class ShadowBudget(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Account> _accounts = new(StringComparer.Ordinal);

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Reserves <paramref name="micros"/> for today unless spent plus reserved would exceed <paramref name="limit"/>.</summary>
    public bool TryReserve(string tenant, long micros, long limit, out DateOnly day)
    {
        day = Today;
        var account = _accounts.GetOrAdd(tenant, _ => new Account());
        lock (account)
        {
            account.Roll(day);
            if (account.Spent + account.Reserved + micros > limit)
            {
                return false;
            }

            account.Reserved += micros;
            return true;
        }
    }

    /// <summary>Replaces a reservation with the actual cost (a reservation from an earlier day only adds nothing).</summary>
    public void Settle(string tenant, DateOnly day, long reserved, long actual)
    {
        var account = _accounts.GetOrAdd(tenant, _ => new Account());
        lock (account)
        {
            if (account.Day == day)
            {
                account.Reserved = Math.Max(0, account.Reserved - reserved);
                account.Spent += actual;
            }
        }
    }

    /// <summary>What the tenant's shadow runs spent today.</summary>
    public long SpentToday(string tenant)
    {
        if (!_accounts.TryGetValue(tenant, out var account))
        {
            return 0;
        }

        lock (account)
        {
            return account.Day == Today ? account.Spent : 0;
        }
    }

    private sealed class Account
    {
        public DateOnly Day { get; private set; }

        public long Spent { get; set; }

        public long Reserved { get; set; }

        public void Roll(DateOnly day)
        {
            if (Day != day)
            {
                Day = day;
                Spent = 0;
                Reserved = 0;
            }
        }
    }
}
