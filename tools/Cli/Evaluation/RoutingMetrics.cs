namespace HybridAI.Cli.Evaluation;

/// <summary>One point of a routing curve: a share of calls to the strong model and the quality it buys.</summary>
public sealed record RoutingPoint(double StrongCallShare, double Quality, double Pgr, double Threshold);

/// <summary>
/// Router metrics as in the RouteLLM paper (Ong et al., 2024): send the queries with the highest score to the
/// strong model; PGR is the share of the weak-to-strong quality gap recovered; APGR is the area under PGR over
/// the share of strong calls (random routing scores 0.5); CPT(x) is the smallest share of strong calls reaching
/// PGR x.
/// </summary>
public static class RoutingMetrics
{
    public static IReadOnlyList<RoutingPoint> Curve(double[] scores, bool[] weakCorrect, bool[] strongCorrect) =>
        Curve(scores, weakCorrect.Select(c => c ? 1.0 : 0).ToArray(), strongCorrect.Select(c => c ? 1.0 : 0).ToArray());

    /// <summary>The curve for graded quality (e.g. MT-Bench judge scores) of each query under each model.</summary>
    public static IReadOnlyList<RoutingPoint> Curve(double[] scores, double[] weakQuality, double[] strongQuality)
    {
        var n = scores.Length;
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var weakMean = weakQuality.Average();
        var strongMean = strongQuality.Average();
        var gap = strongMean - weakMean;
        var total = weakQuality.Sum();
        var points = new List<RoutingPoint>(n + 1) { new(0, weakMean, 0, double.PositiveInfinity) };
        for (var k = 1; k <= n; k++)
        {
            var i = order[k - 1];
            total += strongQuality[i] - weakQuality[i];
            var quality = total / n;
            points.Add(new RoutingPoint(k / (double)n, quality, gap == 0 ? 0 : (quality - weakMean) / gap, scores[i]));
        }

        return points;
    }

    /// <summary>Area under PGR over the strong-call share (trapezoid rule).</summary>
    public static double Apgr(IReadOnlyList<RoutingPoint> curve)
    {
        var area = 0.0;
        for (var i = 1; i < curve.Count; i++)
        {
            area += (curve[i].StrongCallShare - curve[i - 1].StrongCallShare) * (curve[i].Pgr + curve[i - 1].Pgr) / 2;
        }

        return area;
    }

    /// <summary>The smallest strong-call share whose PGR reaches <paramref name="target"/> (1 when never reached).</summary>
    public static double Cpt(IReadOnlyList<RoutingPoint> curve, double target) =>
        curve.FirstOrDefault(p => p.Pgr >= target)?.StrongCallShare ?? 1;

    /// <summary>Quality when the top <paramref name="share"/> of queries go to the strong model.</summary>
    public static double QualityAt(IReadOnlyList<RoutingPoint> curve, double share) =>
        curve[(int)Math.Round(share * (curve.Count - 1))].Quality;
}
