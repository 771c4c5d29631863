namespace HybridAI.Governance.OperatorConsole.Data;

/// <summary>Which receipts a console view covers: [From, To), one tenant or all, in buckets of <see cref="Bucket"/>.</summary>
public sealed record ConsoleQuery(DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket, string Tenant)
{
    public string BucketName => Bucket == TimeSpan.FromDays(1) ? "day" : "hour";
}

/// <summary>Every figure the console shows for one <see cref="ConsoleQuery"/>; the JSON of <c>/console/api/overview</c>.</summary>
public sealed record ConsoleOverview(
    DateTimeOffset From, DateTimeOffset To, string Bucket, string Tenant,
    ConsoleTotals Totals,
    IReadOnlyList<TimeBucket> Series,
    IReadOnlyList<CostRow> CostByTenant,
    IReadOnlyList<CostRow> CostByModel,
    IReadOnlyList<RouteLatency> LatencyByRoute,
    IReadOnlyList<TenantBudget> Budgets,
    LedgerStatus Ledger);

/// <summary>Sums over the whole range; money in USD.</summary>
public sealed record ConsoleTotals(long Requests, double CostUsd, double BaselineUsd, double SavingsUsd, double SavingsRatio,
    long Slm, long Llm, long Cache, long Blocked);

/// <summary>One time bucket: requests by route and the money spent versus the all-LLM baseline.</summary>
public sealed record TimeBucket(DateTimeOffset Start, long Slm, long Llm, long Cache, long Blocked, double CostUsd, double BaselineUsd)
{
    public double SavingsUsd => BaselineUsd - CostUsd;

    public long Requests => Slm + Llm + Cache + Blocked;
}

public sealed record CostRow(string Key, long Requests, double CostUsd, double BaselineUsd);

/// <summary>Nearest-rank latency percentiles of one route's receipts, in milliseconds.</summary>
public sealed record RouteLatency(string Route, long Requests, double P50Ms, double P95Ms, double P99Ms);

public sealed record TenantBudget(string Tenant, string Period, double LimitUsd, double SpentUsd, double ReservedUsd)
{
    /// <summary>Spent plus reserved, as a share of the limit (0 when the limit is 0).</summary>
    public double UsedRatio => LimitUsd <= 0 ? 0 : (SpentUsd + ReservedUsd) / LimitUsd;
}

/// <summary>The last background verification of the ledger chain.</summary>
public sealed record LedgerStatus(bool Checked, bool Valid, long Records, long FirstBrokenSequence, string Message, string HeadHash, DateTimeOffset? CheckedAt);

/// <summary>One receipt in the console's list, with the reasons the router gave.</summary>
public sealed record ReceiptRow(long Sequence, DateTimeOffset Time, string Tenant, string RequestId, string Route, string Model, string Rule,
    IReadOnlyList<string> Reasons, string Outcome, string BlockCode, double CostUsd, double BaselineUsd, long LatencyMs, bool Cascaded, bool CacheHit, string Hash);

internal static class Money
{
    public static double Usd(long micros) => micros / 1_000_000d;
}
