using HybridAI.Cli.Evaluation;
using HybridAI.Cli.Training;

namespace HybridAI.Cli.Tests;

public sealed class TrainingMathTests
{
    [Fact]
    public void SoftmaxRegressionIsDeterministicAndSeparatesSeparableClasses()
    {
        var (x, y) = Blobs(seed: 1, perClass: 60, classes: 3, dims: 8);
        var settings = new SoftmaxRegression.Settings(L2: 1e-3);

        var a = SoftmaxRegression.Train(x, y, 3, settings, cancellationToken: TestContext.Current.CancellationToken);
        var b = SoftmaxRegression.Train(x, y, 3, settings, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(a.Weights, b.Weights);
        Assert.Equal(a.Bias, b.Bias);
        var p = new double[3];
        var correct = x.Select((row, i) => { a.Probabilities(row, p); return Array.IndexOf(p, p.Max()) == y[i]; }).Count(ok => ok);
        Assert.True(correct >= 175, $"{correct} of 180");
    }

    [Fact]
    public void TemperatureFitMakesOverconfidentModelsHumbler()
    {
        var (x, y) = Blobs(seed: 2, perClass: 80, classes: 2, dims: 4, spread: 2.5);
        var model = SoftmaxRegression.Train(x, y, 2, new SoftmaxRegression.Settings(L2: 1e-8), cancellationToken: TestContext.Current.CancellationToken);
        var temperature = SoftmaxRegression.FitTemperature(model, x, y);
        Assert.InRange(temperature, 0.05, 20);
    }

    [Fact]
    public void AurocMatchesTheRankDefinitionWithTies()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.4];
        bool[] positive = [false, false, true, true, true];
        // Pairs (pos, neg): (0.35,0.1)=1 (0.35,0.4)=0 (0.8,*)=2 (0.4,0.1)=1 (0.4,0.4)=0.5 → 4.5 / 6
        Assert.Equal(0.75, Metrics.Auroc(scores, positive), 10);
    }

    [Fact]
    public void TprAtFprPicksAThresholdWithinTheFalsePositiveBudget()
    {
        var scores = Enumerable.Range(0, 100).Select(i => i / 100.0).Concat([0.995, 0.5]).ToArray();
        var positive = Enumerable.Repeat(false, 100).Concat([true, true]).ToArray();

        var (tpr, threshold, fpr) = Metrics.TprAtFpr(scores, positive, 0.01);

        Assert.True(fpr <= 0.01);
        Assert.Equal(0.5, tpr);
        Assert.Equal(0.98, threshold, 10);
    }

    [Fact]
    public void ApgrIsOneHalfForRandomRoutingAndHighForAnOracle()
    {
        var random = new Random(3);
        var n = 20_000;
        var weak = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.6).ToArray();
        var strong = weak.Select(w => w || random.NextDouble() < 0.5).ToArray();

        var randomCurve = RoutingMetrics.Curve(Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray(), weak, strong);
        var oracleCurve = RoutingMetrics.Curve(weak.Select((w, i) => strong[i] && !w ? 1.0 : 0).ToArray(), weak, strong);

        Assert.InRange(RoutingMetrics.Apgr(randomCurve), 0.48, 0.52);
        Assert.True(RoutingMetrics.Apgr(oracleCurve) > 0.8);
        Assert.True(RoutingMetrics.Cpt(oracleCurve, 0.5) < RoutingMetrics.Cpt(randomCurve, 0.5));
    }

    [Fact]
    public void TopicProjectionRemovesWhatSeparatesGroups()
    {
        var (x, y) = Blobs(seed: 4, perClass: 50, classes: 3, dims: 6, spread: 3);
        var groups = y.Select(c => $"g{c}").ToArray();

        var removed = TopicProjection.Apply(x, groups, 6);

        Assert.Equal(2, removed);
        var centroids = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 6)
            .Select(j => x.Where((_, i) => y[i] == c).Average(r => r[j])).ToArray()).ToArray();
        for (var j = 0; j < 6; j++)
        {
            Assert.Equal(centroids[0][j], centroids[1][j], 3);
            Assert.Equal(centroids[0][j], centroids[2][j], 3);
        }
    }

    [Fact]
    public void SplitsAreDeterministicAndKeepGroupsWhole()
    {
        var groups = Enumerable.Range(0, 200).Select(i => $"s{i % 10}").ToArray();

        var a = Splits.ByGroup(groups, 0.3, 7);
        var b = Splits.ByGroup(groups, 0.3, 7);

        Assert.Equal(a.Holdout, b.Holdout);
        Assert.Equal(3, a.HoldoutGroups.Length);
        Assert.Empty(a.Train.Select(i => groups[i]).Intersect(a.Holdout.Select(i => groups[i])));
    }

    private static (float[][] X, int[] Y) Blobs(int seed, int perClass, int classes, int dims, double spread = 4)
    {
        var random = new Random(seed);
        var x = new List<float[]>();
        var y = new List<int>();
        for (var c = 0; c < classes; c++)
        {
            for (var k = 0; k < perClass; k++)
            {
                x.Add(Enumerable.Range(0, dims).Select(j => (float)((j == c ? spread : 0) + (random.NextDouble() - 0.5))).ToArray());
                y.Add(c);
            }
        }

        return (x.ToArray(), y.ToArray());
    }
}
