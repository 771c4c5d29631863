using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Quality;

/// <summary>Per-request quality observations (feedback ratings and shadow results), keyed by (tenant, request id).</summary>
public interface IQualityStore
{
    /// <summary>
    /// Records (or replaces) a rating of a receipted request. Returns null when the tenant has no receipt with that
    /// request id (the caller answers NOT_FOUND); otherwise whether an earlier rating was replaced.
    /// </summary>
    Task<FeedbackRecorded?> RecordFeedbackAsync(string tenantId, string requestId, int rating, string comment, DateTimeOffset time,
        CancellationToken cancellationToken);

    /// <summary>
    /// Records validated shadow results in one transaction; a later result for the same request replaces the earlier one.
    /// The receipt need not have arrived yet (receipts and shadow results travel separately); reads join the two.
    /// </summary>
    Task RecordShadowResultsAsync(IReadOnlyList<ShadowResult> results, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's observed requests whose receipt time is in [<paramref name="rangeStart"/>, <paramref name="rangeEnd"/>), oldest
    /// first, each with its receipt's routing facts. Only requests with a rating or a shadow result are returned, and
    /// only once their receipt is in the ledger. An empty <paramref name="tenantId"/> reads every tenant's (the console's
    /// all-tenant view).
    /// </summary>
    IAsyncEnumerable<QualityObservation> ReadAsync(string tenantId, DateTimeOffset rangeStart, DateTimeOffset rangeEnd, CancellationToken cancellationToken);
}

/// <summary>The outcome of <see cref="IQualityStore.RecordFeedbackAsync"/>.</summary>
public sealed record FeedbackRecorded(bool Replaced, DateTimeOffset Time);
