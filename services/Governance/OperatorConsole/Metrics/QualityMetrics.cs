using System.Diagnostics.Metrics;
using HybridAI.Governance.OperatorConsole.Quality;

namespace HybridAI.Governance.OperatorConsole.Metrics;

/// <summary>
/// The quality view's figures as gauges over the metrics window (<c>Governance:Console:MetricsWindowHours</c>), by tier:
/// shadow parity and how many answers it rests on, and the feedback's positive share and mean rating. A tier with no
/// judged (or rated) answer has no parity (or feedback) measurement, rather than a zero.
/// </summary>
public sealed class QualityMetrics : IDisposable
{
    private readonly Meter _meter;
    private QualityOverview? _window;

    public QualityMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(GovernanceTelemetry.Name);
        _meter.CreateObservableGauge("hybridai.governance.window.shadow_parity", () => ByTier(f => f.ShadowParity), "1",
            "Mean shadow parity with the LLM tier by tier over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.window.shadow_judged", () => ByTier(f => f.ShadowJudged > 0 ? f.ShadowJudged : null), "{answer}",
            "Shadow-judged answers by tier over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.window.feedback_positive_share", () => ByTier(f => f.PositiveShare), "1",
            "Share of positive ratings by tier over the metrics window");
        _meter.CreateObservableGauge("hybridai.governance.window.feedback_rating_mean", () => ByTier(f => f.RatingMean), "1",
            "Mean rating (-1..1) by tier over the metrics window");
    }

    public void Publish(QualityOverview window) => Volatile.Write(ref _window, window);

    private IEnumerable<Measurement<double>> ByTier(Func<QualityFigures, double?> value)
    {
        foreach (var row in Volatile.Read(ref _window)?.ByTier ?? [])
        {
            if (value(row) is { } v)
            {
                yield return new Measurement<double>(v, new KeyValuePair<string, object?>("tier", row.Key));
            }
        }
    }

    public void Dispose() => _meter.Dispose();
}
