using System.Globalization;
using HybridAI.Quality.Charts;

namespace HybridAI.Cli.Evaluation;

/// <summary>The head's routing curve (quality over the share of LLM calls) as SVG, for choosing a threshold by eye.</summary>
public static class RoutingChart
{
    private const int MaxPoints = 400;

    /// <summary>
    /// The curve with APGR in the title, the small and large models alone as reference lines, and the point that
    /// <paramref name="threshold"/> gives (prompts scoring at or above it go to the LLM) marked.
    /// </summary>
    public static string ToSvg(string description, IReadOnlyList<RoutingPoint> curve, double[] scores, double[] weak, double[] strong, double threshold)
    {
        var step = Math.Max(1, curve.Count / MaxPoints);
        var points = curve.Where((_, i) => i % step == 0 || i == curve.Count - 1).Select(p => (p.StrongCallShare, p.Quality)).ToList();
        var routed = scores.Select((s, i) => s >= threshold ? strong[i] : weak[i]).Average();
        var share = scores.Count(s => s >= threshold) / (double)scores.Length;
        return new CurveChart
        {
            Title = Invariant($"needs-llm head: APGR {RoutingMetrics.Apgr(curve):0.000} ({description}; {scores.Length} prompts)"),
            XLabel = "share of requests on the LLM tier",
            YLabel = "quality",
            Points = points,
            Lines =
            [
                new ChartLine(weak.Average(), Vertical: false, Invariant($"small model alone {weak.Average():0.###}")),
                new ChartLine(strong.Average(), Vertical: false, Invariant($"large model alone {strong.Average():0.###}")),
            ],
            Marks = [new ChartMark(share, routed, Invariant($"threshold {threshold:0.###}: {share:P0} LLM, quality {routed:0.###}"))],
        }.ToSvg();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
