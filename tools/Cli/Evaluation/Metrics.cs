namespace HybridAI.Cli.Evaluation;

/// <summary>Classification and detection metrics used by <c>hybridai eval</c>.</summary>
public static class Metrics
{
    public static double Accuracy(int[] truth, int[] predicted) =>
        truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Length;

    /// <summary>Unweighted mean of per-class F1 over the classes present in <paramref name="truth"/>.</summary>
    public static double MacroF1(int[] truth, int[] predicted, int classes)
    {
        var tp = new int[classes];
        var fp = new int[classes];
        var fn = new int[classes];
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] == predicted[i])
            {
                tp[truth[i]]++;
            }
            else
            {
                fn[truth[i]]++;
                fp[predicted[i]]++;
            }
        }

        var present = Enumerable.Range(0, classes).Where(c => tp[c] + fn[c] > 0).ToList();
        return present.Average(c => tp[c] == 0 ? 0 : 2.0 * tp[c] / ((2.0 * tp[c]) + fp[c] + fn[c]));
    }

    /// <summary>Area under the ROC curve (probability a positive outranks a negative; ties count half).</summary>
    public static double Auroc(double[] scores, bool[] positive)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Length];
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            for (var k = i; k <= j; k++)
            {
                ranks[order[k]] = ((i + j) / 2.0) + 1;
            }

            i = j + 1;
        }

        var nPos = positive.Count(p => p);
        var nNeg = positive.Length - nPos;
        var rankSum = Enumerable.Range(0, scores.Length).Where(i => positive[i]).Sum(i => ranks[i]);
        return (rankSum - (nPos * (nPos + 1) / 2.0)) / ((double)nPos * nNeg);
    }

    /// <summary>
    /// The lowest threshold whose false-positive rate on the negatives is at most <paramref name="maxFpr"/>, and the
    /// true-positive rate it achieves (scores strictly above the threshold are flagged).
    /// </summary>
    public static (double Tpr, double Threshold, double Fpr) TprAtFpr(double[] scores, bool[] positive, double maxFpr)
    {
        var negatives = scores.Where((_, i) => !positive[i]).OrderDescending().ToArray();
        var allowed = (int)Math.Floor(maxFpr * negatives.Length);
        var threshold = allowed < negatives.Length ? negatives[allowed] : double.NegativeInfinity;
        var positives = scores.Where((_, i) => positive[i]).ToArray();
        var tpr = positives.Count(s => s > threshold) / (double)positives.Length;
        var fpr = negatives.Count(s => s > threshold) / (double)negatives.Length;
        return (tpr, threshold, fpr);
    }

    /// <summary>Rate of flagged items at a threshold (scores strictly above it).</summary>
    public static double FlaggedRate(IEnumerable<double> scores, double threshold)
    {
        var list = scores.ToList();
        return list.Count(s => s > threshold) / (double)list.Count;
    }
}
