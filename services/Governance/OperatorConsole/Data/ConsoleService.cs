using HybridAI.Governance.Budgets;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Tenants;
using Microsoft.Extensions.Options;

namespace HybridAI.Governance.OperatorConsole.Data;

/// <summary>Builds the console's figures: one <see cref="ConsoleOverview"/> per query, all from the ledger and the budget store.</summary>
public sealed class ConsoleService(
    ConsoleQueries queries, BudgetService budgets, ITenantStore tenants, LedgerMonitor ledger, IOptions<ConsoleOptions> options, TimeProvider clock)
{
    /// <summary>Budget state is read per tenant (Redis or memory); the overview shows at most this many tenants' budgets.</summary>
    public const int MaxBudgetTenants = 200;

    public static readonly IReadOnlyDictionary<string, TimeSpan> Ranges = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
        ["90d"] = TimeSpan.FromDays(90),
    };

    /// <summary>
    /// Validates a view: <paramref name="range"/> (1h, 24h, 7d, 30d, 90d; default 24h) ending now, or explicit
    /// [<paramref name="from"/>, <paramref name="to"/>); <paramref name="bucket"/> hour or day (default: hour up to
    /// 7 days, else day). The range is widened to whole buckets. Every problem is reported at once.
    /// </summary>
    public ConsoleQuery Query(string? range, string? bucket, DateTimeOffset? from, DateTimeOffset? to, string? tenant)
    {
        var o = options.Value;
        var problems = new List<Problem>();
        var now = clock.GetUtcNow();
        var span = TimeSpan.FromHours(24);
        if (!string.IsNullOrEmpty(range) && !Ranges.TryGetValue(range, out span))
        {
            problems.Add(new("range", $"must be one of {string.Join(", ", Ranges.Keys)}, not '{TenantRules.Truncate(range)}'."));
        }

        var end = to ?? now;
        var start = from ?? end - span;
        var size = bucket switch
        {
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            null or "" => end - start > TimeSpan.FromDays(7) ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1),
            _ => TimeSpan.Zero,
        };
        if (size == TimeSpan.Zero)
        {
            problems.Add(new("bucket", $"must be hour or day, not '{TenantRules.Truncate(bucket ?? "")}'."));
            size = TimeSpan.FromHours(1);
        }

        var tenantId = tenant ?? "";
        if (tenantId.Length > 0 && !TenantRules.TenantId().IsMatch(tenantId))
        {
            problems.Add(new("tenant", $"is not a valid tenant id: '{TenantRules.Truncate(tenantId)}'."));
        }

        start = Floor(start, size);
        end = Floor(end, size) == end ? end : Floor(end, size) + size;
        if (start >= end)
        {
            problems.Add(new("from", $"must be before to ({start:O} is not before {end:O})."));
        }
        else if (end - start > TimeSpan.FromDays(o.MaxRangeDays))
        {
            problems.Add(new("to", $"the range may span at most {o.MaxRangeDays} days (Governance:Console:MaxRangeDays)."));
        }
        else if ((end - start) / size > o.MaxBuckets)
        {
            problems.Add(new("bucket", $"{(end - start) / size:F0} {size.TotalHours switch { 1 => "hour", _ => "day" }} buckets exceed the limit of {o.MaxBuckets}; use day buckets or a shorter range."));
        }

        Throw.IfAny("The console query", problems);
        return new ConsoleQuery(start, end, size, tenantId);
    }

    public async Task<ConsoleOverview> OverviewAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var (series, totals) = await queries.SeriesAsync(query, cancellationToken);
        var byTenant = await queries.CostByAsync(query, byModel: false, cancellationToken);
        var byModel = await queries.CostByAsync(query, byModel: true, cancellationToken);
        var latency = await queries.LatencyByRouteAsync(query, cancellationToken);
        return new ConsoleOverview(query.From, query.To, query.BucketName, query.Tenant, totals, series, byTenant, byModel, latency,
            await BudgetsAsync(query.Tenant, cancellationToken), ledger.Status);
    }

    /// <summary>The current budget periods that have a limit, of every tenant (or one), with spent and reserved amounts.</summary>
    public async Task<IReadOnlyList<TenantBudget>> BudgetsAsync(string tenant, CancellationToken cancellationToken)
    {
        var ids = tenant.Length > 0 ? [tenant] : (await tenants.ListTenantsAsync(cancellationToken)).Select(t => t.Id).Take(MaxBudgetTenants).ToList();
        var result = new List<TenantBudget>();
        foreach (var id in ids)
        {
            // A period without a limit (0) has nothing to use up; it is not a budget.
            foreach (var state in (await budgets.StateAsync(id, cancellationToken)).Where(s => s.LimitMicros > 0))
            {
                result.Add(new TenantBudget(id, state.Period, Money.Usd(state.LimitMicros), Money.Usd(state.SpentMicros), Money.Usd(state.ReservedMicros)));
            }
        }

        return result;
    }

    public Task<IReadOnlyList<ReceiptRow>> LatestReceiptsAsync(string tenant, int limit, CancellationToken cancellationToken) =>
        queries.LatestReceiptsAsync(tenant, Math.Clamp(limit <= 0 ? 25 : limit, 1, options.Value.MaxReceipts), cancellationToken);

    private static DateTimeOffset Floor(DateTimeOffset time, TimeSpan size) =>
        new(time.UtcTicks - (time.UtcTicks % size.Ticks), TimeSpan.Zero);
}
