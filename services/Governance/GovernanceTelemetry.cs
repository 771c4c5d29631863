using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HybridAI.Governance;

/// <summary>
/// governance's meter and activity source (<c>HybridAI.Governance</c>, collected by ServiceDefaults). Tags are
/// low-cardinality outcomes and tenant ids; never keys, request ids or amounts.
/// </summary>
public static class GovernanceTelemetry
{
    public const string Name = "HybridAI.Governance";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Budget reservations by tenant and result (reserved, already_reserved, exhausted, already_completed).</summary>
    public static readonly Counter<long> Reservations = Meter.CreateCounter<long>("hybridai.governance.budget.reservations", "{reservation}");

    /// <summary>Settled cost in micro-dollars by tenant.</summary>
    public static readonly Counter<long> SettledMicros = Meter.CreateCounter<long>("hybridai.governance.budget.settled", "{micro_usd}");

    /// <summary>Rate-limit checks by tenant and decision (allowed, limited).</summary>
    public static readonly Counter<long> RateLimitChecks = Meter.CreateCounter<long>("hybridai.governance.rate_limit.checks", "{check}");

    /// <summary>Receipts offered to the ledger by result (accepted, duplicate, rejected).</summary>
    public static readonly Counter<long> Receipts = Meter.CreateCounter<long>("hybridai.governance.ledger.receipts", "{receipt}");

    /// <summary>Key authorisations by result (valid, invalid).</summary>
    /// <summary>Feedback ratings recorded, by tenant and rating (-1, 0, 1).</summary>
    public static readonly Counter<long> Feedback = Meter.CreateCounter<long>("hybridai.governance.quality.feedback", "{rating}");

    /// <summary>Shadow results recorded, by tenant.</summary>
    public static readonly Counter<long> ShadowResults = Meter.CreateCounter<long>("hybridai.governance.quality.shadow_results", "{result}");

    /// <summary>Parity (0..1) of recorded shadow results with the LLM tier, by tenant.</summary>
    public static readonly Histogram<double> ShadowParity = Meter.CreateHistogram<double>("hybridai.governance.quality.shadow_parity", "1",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1] });

    public static readonly Counter<long> KeyAuthorizations = Meter.CreateCounter<long>("hybridai.governance.key.authorizations", "{authorization}");
}
