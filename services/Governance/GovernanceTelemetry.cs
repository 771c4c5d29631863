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
    public static readonly Counter<long> KeyAuthorizations = Meter.CreateCounter<long>("hybridai.governance.key.authorizations", "{authorization}");
}
