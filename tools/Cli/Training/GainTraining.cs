using HybridAI.Cli.Embedding;
using HybridAI.Cli.Evaluation;

namespace HybridAI.Cli.Training;

/// <summary>
/// The needs-LLM gain head: two logistic regressions, P(the large model answers well | prompt) and P(the small model
/// answers well | prompt), ranked by their difference (the expected quality a call to the large model buys) plus
/// β × the standardised log length, then Platt-scaled into P(only the large model answers well). L2 and β are chosen
/// by cross-validated APGR, the routing metric itself, with whole groups (MMLU subjects) per fold when there are groups
/// (the choice then rewards transfer to unseen topics, not memorised subject difficulty), repeated over several fold
/// assignments because a few subjects more or less in a fold move APGR more than the candidates differ.
/// </summary>
public static class GainTraining
{
    /// <summary>L2 candidates (mean log-loss + L2/2 ‖w‖²); about C = 0.3 … 0.01 in scikit-learn's terms at 10k prompts.</summary>
    public static readonly double[] DefaultL2Grid = [3e-4, 1e-3, 3e-3, 1e-2];

    /// <summary>
    /// Weights of the standardised log length relative to the gain's spread: β = weight × standard deviation of the
    /// out-of-fold gain, so one weight means the same mix whatever the L2 (stronger L2 shrinks the gain's range).
    /// </summary>
    public static readonly double[] DefaultLengthWeights = [0, 0.25, 0.5, 1];

    /// <summary>The fitted head: both models, the length weight, the calibration and how they were chosen.</summary>
    public sealed record Result(LinearModel Large, LinearModel Small, double Beta, double Slope, double Intercept, Report Report);

    /// <summary>What cross-validation chose, the score it chose it by, and every candidate's score.</summary>
    public sealed record Report(double L2, double LengthWeight, double Beta, double CrossValidatedApgr, int Folds, int Repeats, bool ByGroup,
        IReadOnlyList<(double L2, double LengthWeight, double Apgr)> Candidates);

    /// <summary>
    /// Fits the gain head on rows of <paramref name="x"/> (embedding, then standardised text features);
    /// <paramref name="lengthColumn"/> is the standardised log-length column, or <see langword="null"/> for no length term.
    /// </summary>
    public static Result Fit(float[][] x, bool[] weak, bool[] strong, string[]? groups, int? lengthColumn, int seed,
        CancellationToken cancellationToken, double[]? l2Grid = null, double[]? lengthWeights = null, int folds = 3, int repeats = 3)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Length != weak.Length || x.Length != strong.Length)
        {
            throw new ArgumentException("x, weak and strong must have one entry per prompt.");
        }

        if (weak.Distinct().Count() < 2 || strong.Distinct().Count() < 2)
        {
            throw new ArgumentException("Both models must be right on some prompts and wrong on others to learn when each is right.");
        }

        var l2s = l2Grid ?? DefaultL2Grid;
        var weights = lengthColumn is null ? [0.0] : lengthWeights ?? DefaultLengthWeights;
        var strongOnly = strong.Select((s, i) => s && !weak[i]).ToArray();
        var byGroup = groups is not null && groups.Distinct(StringComparer.Ordinal).Count() >= 2 * folds;
        var assignments = Enumerable.Range(0, repeats)
            .Select(r => byGroup ? GroupFolds(groups!, folds, seed + r) : StratifiedFolds(strongOnly, folds, seed + r)).ToArray();
        var length = lengthColumn is { } column ? x.Select(row => (double)row[column]).ToArray() : new double[x.Length];

        var candidates = new List<(double L2, double LengthWeight, double Apgr)>();
        var firstOutOfFold = new Dictionary<double, double[]>();
        var spread = new Dictionary<double, double>();
        foreach (var l2 in l2s)
        {
            var totals = new double[weights.Length];
            var spreads = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                var foldOf = assignments[r];
                var gain = new double[x.Length];
                for (var fold = 0; fold < folds; fold++)
                {
                    var trainIdx = Enumerable.Range(0, x.Length).Where(i => foldOf[i] != fold).ToArray();
                    var testIdx = Enumerable.Range(0, x.Length).Where(i => foldOf[i] == fold).ToArray();
                    var (large, small) = TrainPair(FeatureMatrix.Take(x, trainIdx), FeatureMatrix.Take(strong, trainIdx), FeatureMatrix.Take(weak, trainIdx), l2, cancellationToken);
                    foreach (var i in testIdx)
                    {
                        gain[i] = Probability(large, x[i]) - Probability(small, x[i]);
                    }
                }

                var sd = StandardDeviation(gain);
                spreads.Add(sd);
                firstOutOfFold.TryAdd(l2, gain);
                for (var k = 0; k < weights.Length; k++)
                {
                    var beta = weights[k] * sd;
                    totals[k] += Enumerable.Range(0, folds).Average(fold =>
                    {
                        var idx = Enumerable.Range(0, x.Length).Where(i => foldOf[i] == fold).ToArray();
                        var scores = idx.Select(i => gain[i] + (beta * length[i])).ToArray();
                        return RoutingMetrics.Apgr(RoutingMetrics.Curve(scores, FeatureMatrix.Take(weak, idx), FeatureMatrix.Take(strong, idx)));
                    });
                }
            }

            spread[l2] = spreads.Average();
            for (var k = 0; k < weights.Length; k++)
            {
                candidates.Add((l2, weights[k], totals[k] / repeats));
                Progress.Note($"  l2 {l2:G2}, length weight {weights[k]:G2}: {repeats}×{folds}-fold{(byGroup ? " by group" : "")} APGR {totals[k] / repeats:F4}");
            }
        }

        var best = candidates.MaxBy(c => c.Apgr);
        var chosenBeta = best.LengthWeight * spread[best.L2];
        var oof = firstOutOfFold[best.L2].Select((g, i) => g + (chosenBeta * length[i])).ToArray();
        var (slope, intercept) = Platt(oof, strongOnly);
        Progress.Note($"chosen l2 {best.L2:G2}, length weight {best.LengthWeight:G2} (β {chosenBeta:G3}; cross-validated APGR {best.Apgr:F4}); " +
            $"calibration {slope:F3} × gain {intercept:+0.000;-0.000}; retraining on all {x.Length} prompts");
        var (finalLarge, finalSmall) = TrainPair(x, strong, weak, best.L2, cancellationToken);
        return new Result(finalLarge, finalSmall, chosenBeta, slope, intercept,
            new Report(best.L2, best.LengthWeight, chosenBeta, best.Apgr, folds, repeats, byGroup, candidates));
    }

    private static double StandardDeviation(double[] values)
    {
        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
    }

    /// <summary>The gain the head file's rows compute for one input row (for checks and tests).</summary>
    public static double Gain(Result result, float[] row, int? lengthColumn) =>
        Probability(result.Large, row) - Probability(result.Small, row) + (lengthColumn is { } c ? result.Beta * row[c] : 0);

    private static (LinearModel Large, LinearModel Small) TrainPair(float[][] x, bool[] strong, bool[] weak, double l2, CancellationToken ct)
    {
        var settings = new SoftmaxRegression.Settings(l2);
        var large = SoftmaxRegression.Train(x, strong.Select(v => v ? 1 : 0).ToArray(), 2, settings, cancellationToken: ct);
        var small = SoftmaxRegression.Train(x, weak.Select(v => v ? 1 : 0).ToArray(), 2, settings, cancellationToken: ct);
        return (large, small);
    }

    private static double Probability(LinearModel model, float[] row)
    {
        Span<double> p = stackalloc double[2];
        model.Probabilities(row, p);
        return p[1];
    }

    /// <summary>
    /// One-dimensional logistic regression of <paramref name="labels"/> on <paramref name="scores"/> (Newton's method, a
    /// tiny ridge for separable data). A score that does not rank the labels gets a small positive slope, so the head's
    /// probability stays monotone in its ranking and nearly constant.
    /// </summary>
    internal static (double Slope, double Intercept) Platt(double[] scores, bool[] labels)
    {
        double a = 0, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 1e-6 * a, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-9;
            for (var i = 0; i < scores.Length; i++)
            {
                var p = 1 / (1 + Math.Exp(-((a * scores[i]) + b)));
                var r = p - (labels[i] ? 1 : 0);
                var w = p * (1 - p);
                ga += r * scores[i];
                gb += r;
                haa += w * scores[i] * scores[i];
                hab += w * scores[i];
                hbb += w;
            }

            var det = (haa * hbb) - (hab * hab);
            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            a -= da;
            b -= db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10)
            {
                break;
            }
        }

        return (Math.Max(a, 1e-3), b);
    }

    private static int[] GroupFolds(string[] groups, int folds, int seed)
    {
        var distinct = groups.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(distinct);
        var foldOfGroup = distinct.Select((g, i) => (g, i)).ToDictionary(p => p.g, p => p.i % folds, StringComparer.Ordinal);
        return groups.Select(g => foldOfGroup[g]).ToArray();
    }

    private static int[] StratifiedFolds(bool[] labels, int folds, int seed)
    {
        var random = new Random(seed);
        var fold = new int[labels.Length];
        foreach (var group in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var items = group.ToArray();
            random.Shuffle(items);
            for (var k = 0; k < items.Length; k++)
            {
                fold[items[k]] = k % folds;
            }
        }

        return fold;
    }
}
