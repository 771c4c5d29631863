namespace HybridAI.Governance.OperatorConsole.Quality;

/// <summary>The console's quality view for one query; the JSON of <c>/console/api/quality</c>.</summary>
public sealed record QualityOverview(
    DateTimeOffset From, DateTimeOffset To, string Bucket, string Tenant,
    QualityFigures Totals,
    IReadOnlyList<QualityBucket> Series,
    IReadOnlyList<QualityFigures> ByTier,
    IReadOnlyList<QualityFigures> ByIntent,
    IReadOnlyList<QualityFigures> ByModel);

/// <summary>
/// Feedback and shadow figures of a group of requests. Shares are 0..1; <see cref="ShadowParity"/> and
/// <see cref="PositiveShare"/> are null when nothing in the group was judged or rated (no data is not zero quality).
/// </summary>
public sealed record QualityFigures(
    string Key, long Rated, long Positive, long Neutral, long Negative, double? RatingMean, double? PositiveShare,
    long ShadowJudged, double? ShadowParity, double ShadowCostUsd);

/// <summary>One time bucket of the parity-over-time chart (buckets without observations are left out).</summary>
public sealed record QualityBucket(DateTimeOffset Start, QualityFigures Figures);
