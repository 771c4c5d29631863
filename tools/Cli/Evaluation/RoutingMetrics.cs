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
    public static IReadOnlyList<RoutingPoint> Curve(double[] scores, bool[] weakCorrect, bool[] strongCorrect)
    {
        var n = scores.Length;
        var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var weakQuality = weakCorrect.Count(c => c) / (double)n;
        var strongQuality = strongCorrect.Count(c => c) / (double)n;
        var gap = strongQuality - weakQuality;
        var correct = weakCorrect.Count(c => c);
        var points = new List<RoutingPoint>(n + 1) { new(0, weakQuality, 0, double.PositiveInfinity) };
        for (var k = 1; k <= n; k++)
        {
            var i = order[k - 1];
            correct += (strongCorrect[i] ? 1 : 0) - (weakCorrect[i] ? 1 : 0);
            var quality = correct / (double)n;
            points.Add(new RoutingPoint(k / (double)n, quality, gap == 0 ? 0 : (quality - weakQuality) / gap, scores[i]));
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
}
