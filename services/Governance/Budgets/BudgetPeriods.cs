using System.Globalization;

namespace HybridAI.Governance.Budgets;

/// <summary>Budget periods are calendar days and months in UTC, named by bucket ids (<c>d20261129</c>, <c>m202611</c>).</summary>
public static class BudgetPeriods
{
    public const string Day = "day";
    public const string Month = "month";

    /// <summary>Reservations never live longer than this, so an expired one always belongs to the current or previous bucket.</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);

    /// <summary>Settled and released reservation ids are remembered this long, so a retried settle is not counted twice.</summary>
    public static readonly TimeSpan CompletedRetention = TimeSpan.FromDays(1);

    public static string DayBucket(DateTimeOffset t) => "d" + t.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string MonthBucket(DateTimeOffset t) => "m" + t.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);

    /// <summary>The current and previous day and month buckets at <paramref name="now"/>.</summary>
    public static (string Day, string PreviousDay, string Month, string PreviousMonth) Buckets(DateTimeOffset now) =>
        (DayBucket(now), DayBucket(now.AddDays(-1)), MonthBucket(now), MonthBucket(now.AddMonths(-1)));

    /// <summary>When the period containing <paramref name="now"/> ends.</summary>
    public static DateTimeOffset End(string period, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        return period == Day
            ? new DateTimeOffset(utc.Date.AddDays(1), TimeSpan.Zero)
            : new DateTimeOffset(new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1), TimeSpan.Zero);
    }

    public static long LimitOf(IReadOnlyList<BudgetLimit> limits, string period) =>
        limits.FirstOrDefault(l => l.Period == period)?.LimitMicros ?? 0;
}
