namespace HybridAI.Quality.Calibration;

/// <summary>
/// The thresholds calibration can move, and how each maps to "answered on the SLM tier":
/// <list type="bullet">
/// <item><see cref="NeedsLlm"/>: the local generator answers when needs_llm &lt; threshold (the rest goes to the LLM tier).</item>
/// <item><see cref="FaqScore"/>: the knowledge base answers when faq_score &gt;= threshold (the rest goes to the LLM tier).</item>
/// <item><see cref="CascadeConfidence"/>: a local answer is kept when its mean log-probability &gt;= threshold; below, it is
/// escalated, so the request pays for both paths and gets the LLM answer.</item>
/// </list>
/// </summary>
public enum ThresholdSignal
{
    NeedsLlm,
    FaqScore,
    CascadeConfidence,
}

/// <summary>Facts about each <see cref="ThresholdSignal"/>.</summary>
public static class ThresholdSignals
{
    public static IReadOnlyList<ThresholdSignal> All { get; } = [ThresholdSignal.NeedsLlm, ThresholdSignal.FaqScore, ThresholdSignal.CascadeConfidence];

    /// <summary>The name used in files, APIs and charts (<c>needs_llm</c>, <c>faq_score</c>, <c>cascade_confidence</c>).</summary>
    public static string Name(this ThresholdSignal signal) => signal switch
    {
        ThresholdSignal.NeedsLlm => "needs_llm",
        ThresholdSignal.FaqScore => "faq_score",
        _ => "cascade_confidence",
    };

    public static bool TryParse(string text, out ThresholdSignal signal)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name(), text.Replace('-', '_'), StringComparison.OrdinalIgnoreCase))
            {
                signal = candidate;
                return true;
            }
        }

        signal = default;
        return false;
    }

    /// <summary>True when a low value keeps the request on the SLM tier (needs-LLM); false when a high value does.</summary>
    public static bool SlmWhenBelow(this ThresholdSignal signal) => signal == ThresholdSignal.NeedsLlm;

    /// <summary>The range a threshold may take (the router's option bounds).</summary>
    public static (double Min, double Max) Range(this ThresholdSignal signal) =>
        signal == ThresholdSignal.CascadeConfidence ? (-100, 0) : (0, 1);

    /// <summary>True when the SLM path runs first and an LLM answer costs extra (the cascade); otherwise one path runs.</summary>
    public static bool Escalates(this ThresholdSignal signal) => signal == ThresholdSignal.CascadeConfidence;

    /// <summary>Whether a request with <paramref name="value"/> is answered on the SLM tier at <paramref name="threshold"/>.</summary>
    public static bool RoutesToSlm(this ThresholdSignal signal, double value, double threshold) =>
        signal.SlmWhenBelow() ? value < threshold : value >= threshold;
}
