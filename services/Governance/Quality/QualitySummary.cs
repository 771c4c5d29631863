using HybridAI.Contracts.Governance.V1;

namespace HybridAI.Governance.Quality;

/// <summary>Feedback and shadow figures of a set of observations, overall and grouped (reports and the console).</summary>
public static class QualitySummary
{
    public static QualityRow Row(string key, IEnumerable<QualityObservation> observations)
    {
        var row = new QualityRow { Key = key };
        long ratingSum = 0;
        double paritySum = 0;
        foreach (var o in observations)
        {
            if (o.Rating is { } rating)
            {
                row.Rated++;
                ratingSum += rating;
                if (rating > 0)
                {
                    row.Positive++;
                }
                else if (rating == 0)
                {
                    row.Neutral++;
                }
                else
                {
                    row.Negative++;
                }
            }

            if (o.ShadowParity is { } parity)
            {
                row.ShadowJudged++;
                paritySum += parity;
                row.ShadowCostMicros += o.LlmCostMicros ?? 0;
            }
        }

        row.RatingMean = row.Rated == 0 ? 0 : (double)ratingSum / row.Rated;
        row.ShadowParity = row.ShadowJudged == 0 ? 0 : paritySum / row.ShadowJudged;
        return row;
    }

    /// <summary>Rows per key, most observed first.</summary>
    public static IEnumerable<QualityRow> By(IEnumerable<QualityObservation> observations, Func<QualityObservation, string> key) =>
        observations.GroupBy(o => key(o) is { Length: > 0 } k ? k : "(none)", StringComparer.Ordinal)
            .Select(g => Row(g.Key, g))
            .OrderByDescending(r => r.Rated + r.ShadowJudged).ThenBy(r => r.Key, StringComparer.Ordinal);
}
