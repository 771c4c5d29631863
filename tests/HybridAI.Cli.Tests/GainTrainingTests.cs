using HybridAI.Cli.Evaluation;
using HybridAI.Cli.Training;
using HybridAI.SlmInference.Core.Heads;

namespace HybridAI.Cli.Tests;

public sealed class GainTrainingTests
{
    // Column 0 says how likely the large model is right, column 1 the small one, column 2 is the "length" column,
    // column 3 names the topic; 12 topics so folds hold whole topics.
    private static (float[][] X, bool[] Weak, bool[] Strong, string[] Groups) Synthetic(int seed, int n = 1200)
    {
        var random = new Random(seed);
        var x = new float[n][];
        var weak = new bool[n];
        var strong = new bool[n];
        var groups = new string[n];
        for (var i = 0; i < n; i++)
        {
            var topic = i % 12;
            var a = (float)((random.NextDouble() * 4) - 2);
            var b = (float)((random.NextDouble() * 4) - 2);
            x[i] = [a, b, (float)((random.NextDouble() * 2) - 1), topic / 12f];
            strong[i] = random.NextDouble() < 1 / (1 + Math.Exp(-(2 * a) - 1));
            weak[i] = random.NextDouble() < 1 / (1 + Math.Exp(-(2 * b)));
            groups[i] = $"topic-{topic}";
        }

        return (x, weak, strong, groups);
    }

    [Fact]
    public void GainHeadRanksPromptsByWhatTheLargeModelAddsAndIsDeterministic()
    {
        var (x, weak, strong, groups) = Synthetic(seed: 3);
        var ct = TestContext.Current.CancellationToken;

        var fit = GainTraining.Fit(x, weak, strong, groups, lengthColumn: 2, seed: 1, ct, l2Grid: [1e-3, 1e-2], lengthWeights: [0, 0.5], repeats: 2);
        var again = GainTraining.Fit(x, weak, strong, groups, lengthColumn: 2, seed: 1, ct, l2Grid: [1e-3, 1e-2], lengthWeights: [0, 0.5], repeats: 2);

        Assert.Equal(fit.Large.Weights, again.Large.Weights);
        Assert.Equal(fit.Small.Weights, again.Small.Weights);
        Assert.Equal((fit.Slope, fit.Intercept), (again.Slope, again.Intercept));
        Assert.True(fit.Report.ByGroup);
        Assert.Equal(2 * 2, fit.Report.Candidates.Count);
        Assert.True(fit.Slope > 0);

        // On fresh prompts from the same process, ranking by the gain recovers most of the weak→strong gap.
        var (tx, tweak, tstrong, _) = Synthetic(seed: 4);
        var scores = tx.Select(row => GainTraining.Gain(fit, row, 2)).ToArray();
        var apgr = RoutingMetrics.Apgr(RoutingMetrics.Curve(scores, tweak, tstrong));
        var strongOnly = RoutingMetrics.Apgr(RoutingMetrics.Curve(tx.Select(row => (double)row[0]).ToArray(), tweak, tstrong));
        Assert.True(apgr > 0.8, $"APGR {apgr:F3}");
        Assert.True(apgr > strongOnly, $"gain {apgr:F3} vs the large model's own probability {strongOnly:F3}");
    }

    [Fact]
    public void TheGainHeadFileGivesTheCalibratedProbabilityOfTheGain()
    {
        var (x, weak, strong, groups) = Synthetic(seed: 5, n: 600);
        var fit = GainTraining.Fit(x, weak, strong, groups, lengthColumn: 2, seed: 2, TestContext.Current.CancellationToken, l2Grid: [1e-3], lengthWeights: [0.5], repeats: 1);
        Assert.Equal(0.5 * 1, fit.Report.LengthWeight);

        // A 4-wide "embedding" with no text features: the head applies exactly the trained rows.
        var file = HeadBuilder.Gain("needs-llm", "slm", "llm", fit, 2, "test-encoder", new string('a', 64), 4, HeadPooling.Mean, null, new { });
        Assert.Empty(file.Validate());
        var head = new ClassificationHead(file, "test-encoder", new string('a', 64), 4, "", "test");
        foreach (var row in x.Take(20))
        {
            var expected = 1 / (1 + Math.Exp(-((fit.Slope * GainTraining.Gain(fit, row, 2)) + fit.Intercept)));
            Assert.Equal(expected, head.Predict(row, "").Scores.Single(s => s.Label == "llm").Probability, 5);
        }
    }

    [Fact]
    public void PlattScalingRecoversAKnownSlopeAndIntercept()
    {
        var random = new Random(11);
        var scores = Enumerable.Range(0, 20_000).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-((3 * s) - 1)))).ToArray();

        var (slope, intercept) = GainTraining.Platt(scores, labels);

        Assert.Equal(3, slope, 0.25);
        Assert.Equal(-1, intercept, 0.1);
    }

    [Fact]
    public void GainTrainingRefusesLabelsWhereAModelIsAlwaysRight()
    {
        var (x, weak, _, groups) = Synthetic(seed: 6, n: 100);
        var error = Assert.Throws<ArgumentException>(() =>
            GainTraining.Fit(x, weak, [.. weak.Select(_ => true)], groups, 2, 1, TestContext.Current.CancellationToken));
        Assert.Contains("right on some prompts and wrong on others", error.Message, StringComparison.Ordinal);
    }
}
