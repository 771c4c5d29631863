using HybridAI.Contracts.Governance.V1;
using HybridAI.Governance.OperatorConsole.Data;
using HybridAI.Governance.Quality;

namespace HybridAI.Governance.OperatorConsole.Quality;

/// <summary>
/// The quality view's figures from the quality store: shadow parity and feedback over time (in the console's buckets),
/// and by tier, intent and model. Observations are sampled (shadow) or volunteered (feedback), so they are few next to
/// receipts and are aggregated in memory.
/// </summary>
public sealed class QualityConsoleService(IQualityStore store)
{
    /// <summary>Rows shown per grouping (most observed first).</summary>
    public const int MaxRows = 12;

    public async Task<QualityOverview> OverviewAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var observations = new List<QualityObservation>();
        await foreach (var o in store.ReadAsync(query.Tenant, query.From, query.To, cancellationToken))
        {
            observations.Add(o);
        }

        var series = observations
            .GroupBy(o => new DateTimeOffset(o.Time.UtcTicks - (o.Time.UtcTicks % query.Bucket.Ticks), TimeSpan.Zero))
            .OrderBy(g => g.Key)
            .Select(g => new QualityBucket(g.Key, Figures(QualitySummary.Row(g.Key.ToString("O", System.Globalization.CultureInfo.InvariantCulture), g))))
            .ToList();
        return new QualityOverview(query.From, query.To, query.BucketName, query.Tenant,
            Figures(QualitySummary.Row("all", observations)), series,
            By(observations, o => o.Tier), By(observations, o => o.Intent), By(observations, o => o.Model));
    }

    public static QualityFigures Figures(QualityRow row) => new(
        row.Key, row.Rated, row.Positive, row.Neutral, row.Negative,
        row.Rated == 0 ? null : row.RatingMean,
        row.Rated == 0 ? null : (double)row.Positive / row.Rated,
        row.ShadowJudged,
        row.ShadowJudged == 0 ? null : row.ShadowParity,
        row.ShadowCostMicros / 1_000_000d);

    private static List<QualityFigures> By(IEnumerable<QualityObservation> observations, Func<QualityObservation, string> key) =>
        [.. QualitySummary.By(observations, key).Take(MaxRows).Select(Figures)];
}
