using Google.Protobuf.WellKnownTypes;
using Route = HybridAI.Contracts.Common.V1.Route;
using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.Budgets;
using HybridAI.Governance.Errors;
using HybridAI.Governance.Ledger;
using HybridAI.Governance.Quality;
using HybridAI.Governance.Tenants;

namespace HybridAI.Governance.Reports;

/// <summary>
/// Per-tenant reports over the ledger: volume, tokens and cost by tier and model, savings against what the all-LLM
/// baseline would have cost, SLM share, escalation and cache-hit rates, latency percentiles, budget use, and output
/// quality (feedback ratings and shadow parity) by tier, intent and model.
/// </summary>
public sealed class ReportService(IAuditLedger ledger, BudgetService budgets, KnownTenants tenants, IQualityStore quality, TimeProvider clock)
{
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    public async Task<Report> BuildAsync(ReportRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var to = request.To?.ToDateTimeOffset() ?? now;
        var from = request.From?.ToDateTimeOffset() ?? new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var problems = new List<Problem>();
        if (from >= to)
        {
            problems.Add(new("from", $"must be before to ({from:O} is not before {to:O})."));
        }
        else if (to - from > MaxRange)
        {
            problems.Add(new("to", $"the range may span at most {MaxRange.TotalDays} days, but spans {(to - from).TotalDays:F0}."));
        }

        Throw.IfAny("The report request", problems);
        await tenants.RequireAsync(request.TenantId, cancellationToken);

        var aggregate = await ledger.AggregateAsync(request.TenantId, from, to, cancellationToken);
        var report = new Report
        {
            TenantId = request.TenantId,
            From = Timestamp.FromDateTimeOffset(from),
            To = Timestamp.FromDateTimeOffset(to),
            LatencyP50Ms = aggregate.LatencyP50Ms,
            LatencyP95Ms = aggregate.LatencyP95Ms,
        };

        long cascaded = 0, cacheHits = 0, slm = 0, blocked = 0;
        foreach (var row in aggregate.Rows)
        {
            report.Requests += row.Requests;
            report.PromptTokens += row.PromptTokens;
            report.CompletionTokens += row.CompletionTokens;
            report.CostMicros += row.CostMicros;
            report.BaselineCostMicros += row.BaselineMicros;
            cascaded += row.Cascaded;
            cacheHits += row.CacheHits;
            slm += row.Route == (int)Route.Slm ? row.Requests : 0;
            blocked += row.Route == (int)Route.Blocked ? row.Requests : 0;
        }

        report.SavingsMicros = report.BaselineCostMicros - report.CostMicros;
        report.SavingsRatio = report.BaselineCostMicros == 0 ? 0 : (double)report.SavingsMicros / report.BaselineCostMicros;
        var served = report.Requests - blocked;
        report.SlmShare = served == 0 ? 0 : (double)slm / served;
        report.EscalationRate = report.Requests == 0 ? 0 : (double)cascaded / report.Requests;
        report.CacheHitRate = report.Requests == 0 ? 0 : (double)cacheHits / report.Requests;
        report.ByTier.AddRange(Group(aggregate.Rows, r => TierName(r.Route)));
        report.ByModel.AddRange(Group(aggregate.Rows, r => r.Model.Length == 0 ? "(none)" : r.Model));
        report.Budgets.AddRange(await budgets.StateAsync(request.TenantId, cancellationToken));

        var observations = new List<QualityObservation>();
        await foreach (var o in quality.ReadAsync(request.TenantId, from, to, cancellationToken))
        {
            observations.Add(o);
        }

        report.Quality = QualitySummary.Row("all", observations);
        report.QualityByTier.AddRange(QualitySummary.By(observations, o => o.Tier));
        report.QualityByIntent.AddRange(QualitySummary.By(observations, o => o.Intent));
        report.QualityByModel.AddRange(QualitySummary.By(observations, o => o.Model));
        return report;
    }

    public static string TierName(int route) => (Route)route switch
    {
        Route.Slm => "slm",
        Route.Llm => "llm",
        Route.Cache => "cache",
        Route.Blocked => "blocked",
        _ => "unspecified",
    };

    private static IEnumerable<ReportRow> Group(IEnumerable<LedgerAggregateRow> rows, Func<LedgerAggregateRow, string> key) =>
        rows.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new ReportRow
            {
                Key = g.Key,
                Requests = g.Sum(r => r.Requests),
                PromptTokens = g.Sum(r => r.PromptTokens),
                CompletionTokens = g.Sum(r => r.CompletionTokens),
                CostMicros = g.Sum(r => r.CostMicros),
            })
            .OrderByDescending(r => r.Requests).ThenBy(r => r.Key, StringComparer.Ordinal);
}
