using HybridAI.Cli.Commands;
using HybridAI.Cli.Data;
using HybridAI.Cli.Evaluation;
using HybridAI.Cli.Training;
using HybridAI.Testing;
using HybridAI.Testing.Guard;

namespace HybridAI.Cli.Tests;

/// <summary>How <c>train guard</c> places its decision point, and what its project-written data may not contain.</summary>
public sealed class GuardTrainingTests
{
    [Fact]
    public void AnOperatingPointPutsOneHalfAtTheTargetFalsePositiveRateOfTheHoldout()
    {
        // Rare, overlapping positives, weighted as train guard weights them: the balanced loss alone puts the
        // decision point anywhere; the shift must put 0.5 where 5% of held-out negatives are flagged.
        var (x, y) = OverlappingClasses(seed: 5, negatives: 1000, positives: 100);
        double[] weights = [y.Length / (2.0 * 1000), y.Length / (2.0 * 100)];

        var (model, report) = TrainCommands.Fit(x, y, 2, weights, seed: 3, TestContext.Current.CancellationToken, rankMetric: true,
            holdoutShare: 0.2, grid: [1e-3], finalOnHoldoutTrainOnly: true, operatingFpr: 0.05);

        var (_, holdout) = Splits.Stratified(y, 0.2, 3);
        var p = new double[2];
        var scores = holdout.Select(i => { model.Probabilities(x[i], p); return p[1]; }).ToArray();
        var positive = holdout.Select(i => y[i] == 1).ToArray();
        var flaggedNegatives = Metrics.FlaggedRate(scores.Where((_, k) => !positive[k]), 0.5);
        Assert.InRange(flaggedNegatives, 0.04, 0.05);
        Assert.Equal(flaggedNegatives, report.FprAtOperatingThreshold);
        Assert.Equal(Metrics.TprAtFpr(scores, positive, 0.05).Tpr, Metrics.FlaggedRate(scores.Where((_, k) => positive[k]), 0.5));
        Assert.Equal(-model.Temperature * TrainCommands.Logit(report.ThresholdBeforeShift!.Value), report.BiasShift!.Value, 6);
    }

    [Fact]
    public void WithoutAnOperatingPointTheBiasIsLeftAsTrained()
    {
        var (x, y) = OverlappingClasses(seed: 5, negatives: 400, positives: 40);

        var (_, report) = TrainCommands.Fit(x, y, 2, null, seed: 3, TestContext.Current.CancellationToken, rankMetric: true,
            holdoutShare: 0.2, grid: [1e-3], finalOnHoldoutTrainOnly: true);

        Assert.Null(report.BiasShift);
        Assert.Null(report.FprAtOperatingThreshold);
    }

    [Fact]
    public void TheProjectsGuardDataIsReadableAndLeavesTheHeldOutProbesOut()
    {
        var folder = Path.Combine(SharedDatasets.RepositoryRoot(), "tools", "Cli", "TrainingData");
        var injections = Datasets.LoadPrompts(Path.Combine(folder, "guard-injections.csv"));
        var benign = Datasets.LoadPrompts(Path.Combine(folder, "guard-benign-hard.csv"));

        Assert.InRange(injections.Count, 150, 250);
        Assert.Empty(injections.Intersect(benign, StringComparer.Ordinal));
        var training = injections.Concat(benign).Select(Normalise).ToHashSet(StringComparer.Ordinal);
        foreach (var probe in GuardProbes.All)
        {
            Assert.DoesNotContain(Normalise(probe), training);
        }
    }

    private static string Normalise(string text) => string.Join(' ', text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.', '?', '!');

    private static (float[][] X, int[] Y) OverlappingClasses(int seed, int negatives, int positives)
    {
        var random = new Random(seed);
        float Noise() => (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        var x = new List<float[]>();
        var y = new List<int>();
        for (var i = 0; i < negatives + positives; i++)
        {
            var label = i < negatives ? 0 : 1;
            x.Add([(label * 1.2f) + Noise(), Noise(), (label * 0.6f) + Noise()]);
            y.Add(label);
        }

        return (x.ToArray(), y.ToArray());
    }
}
