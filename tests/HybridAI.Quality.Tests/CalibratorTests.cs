using HybridAI.Quality.Calibration;

namespace HybridAI.Quality.Tests;

public sealed class CalibratorTests
{
    [Fact]
    public void CheapestThresholdKeepingParityHoldsOnTheTrafficItWasSampledFrom()
    {
        var result = Calibrator.Calibrate(Synthetic.Traffic(2000, seed: 1), ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("parity>=0.9"), currentThreshold: 0.95);

        Assert.Equal(CalibrationStatus.Proposed, result.Status);
        var chosen = Assert.IsType<CurvePoint>(result.Chosen);
        Assert.True(chosen.ParityLowerBound >= 0.9);
        Assert.True(result.Savings > 0.2, $"savings {result.Savings}");
        Assert.True(result.Current!.Parity < 0.9, "the deliberately bad threshold misses the target");
        var fresh = Calibrator.Evaluate(Synthetic.Traffic(50_000, seed: 2), ThresholdSignal.NeedsLlm, chosen.Threshold);
        Assert.True(fresh.Parity >= 0.9, $"fresh parity {fresh.Parity}, predicted {chosen.Parity} (lower bound {chosen.ParityLowerBound}) at {chosen.Threshold}");
        Assert.Contains("lower bound", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BestParityWithinAnLlmShareStaysWithinTheShareOnTheTrafficItWasSampledFrom()
    {
        var result = Calibrator.Calibrate(Synthetic.Traffic(2000, seed: 3), ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("llm-share<=0.3"));

        var chosen = Assert.IsType<CurvePoint>(result.Chosen);
        Assert.True(chosen.LlmShareUpperBound <= 0.3);
        Assert.True(chosen.LlmShare > 0.2, "the best parity uses most of the allowed LLM share");
        Assert.True(Calibrator.Evaluate(Synthetic.Traffic(50_000, seed: 4), ThresholdSignal.NeedsLlm, chosen.Threshold).LlmShare <= 0.3);
    }

    [Fact]
    public void TooFewSamplesGiveNoProposal()
    {
        var result = Calibrator.Calibrate(Synthetic.Traffic(150, seed: 5), ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("parity>=0.9"));

        Assert.Equal(CalibrationStatus.InsufficientData, result.Status);
        Assert.Null(result.Chosen);
        Assert.Contains("150 sample(s)", result.Message, StringComparison.Ordinal);
        Assert.Contains("at least 200", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SamplesWithoutTheSignalDoNotCountTowardsTheMinimum()
    {
        var samples = Synthetic.Traffic(1000, seed: 6);

        var result = Calibrator.Calibrate(samples, ThresholdSignal.FaqScore, CalibrationTarget.Parse("parity>=0.9"));

        Assert.Equal(CalibrationStatus.InsufficientData, result.Status);
        Assert.Equal(0, result.SampleCount);
    }

    [Fact]
    public void AnUnreachableTargetSaysSoAndNamesTheClosestPoint()
    {
        var samples = Synthetic.Traffic(1000, seed: 7, failureSlope: 1);

        var result = Calibrator.Calibrate(samples, ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("parity>=0.97, llm-share<=0.2"));

        Assert.Equal(CalibrationStatus.Unreachable, result.Status);
        Assert.Null(result.Chosen);
        Assert.StartsWith("Target unreachable on this data", result.Message, StringComparison.Ordinal);
        Assert.Contains("Closest:", result.Message, StringComparison.Ordinal);
        Assert.NotEmpty(result.Curve);
    }

    [Fact]
    public void AParityFloorOnlyAllLlmCanMeetIsUnreachable()
    {
        var samples = Enumerable.Range(0, 400).Select(i => new CalibrationSample(i / 400.0, null, null, 0, 10, 100)).ToList();

        var result = Calibrator.Calibrate(samples, ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("parity>=0.999"));

        Assert.Equal(CalibrationStatus.Unreachable, result.Status);
    }

    [Fact]
    public void CurveRunsFromAllLlmToAllSlmWithParityAndCostFalling()
    {
        var curve = Calibrator.Curve(Synthetic.Traffic(500, seed: 8), ThresholdSignal.NeedsLlm);

        Assert.Equal(1, curve[0].LlmShare);
        Assert.Equal(1, curve[0].Parity);
        Assert.Equal(2000, curve[0].CostMicros, 6);
        Assert.Equal(0, curve[^1].LlmShare);
        Assert.Equal(100, curve[^1].CostMicros, 6);
        for (var i = 1; i < curve.Count; i++)
        {
            Assert.True(curve[i].LlmShare < curve[i - 1].LlmShare);
            Assert.True(curve[i].Parity <= curve[i - 1].Parity);
            Assert.True(curve[i].Threshold > curve[i - 1].Threshold);
        }
    }

    [Fact]
    public void EveryCurvePointIsWhatItsThresholdGives()
    {
        var samples = Synthetic.Traffic(300, seed: 9, faq: true, cascade: true);
        foreach (var signal in ThresholdSignals.All)
        {
            foreach (var point in Calibrator.Curve(samples, signal).Where((_, i) => i % 17 == 0))
            {
                var evaluated = Calibrator.Evaluate(samples, signal, point.Threshold);
                Assert.Equal(point.SlmCount, evaluated.SlmCount);
                Assert.Equal(point.Parity, evaluated.Parity, 9);
                Assert.Equal(point.CostMicros, evaluated.CostMicros, 6);
            }
        }
    }

    [Fact]
    public void FaqScoreRoutesHighScoresToTheSlm()
    {
        var samples = Synthetic.Traffic(1500, seed: 10, faq: true);

        var result = Calibrator.Calibrate(samples, ThresholdSignal.FaqScore, CalibrationTarget.Parse("parity>=0.9"));

        var chosen = Assert.IsType<CurvePoint>(result.Chosen);
        Assert.InRange(chosen.Threshold, 0.4, 1);
        Assert.All(samples.Where(s => s.FaqScore >= 0.8 + 1e-9), s => Assert.True(ThresholdSignal.FaqScore.RoutesToSlm(s.FaqScore!.Value, chosen.Threshold)));
    }

    [Fact]
    public void CascadeEscalationsPayForBothPaths()
    {
        var samples = Synthetic.Traffic(1000, seed: 11, cascade: true);

        var curve = Calibrator.Curve(samples, ThresholdSignal.CascadeConfidence);

        Assert.Equal(2100, curve[0].CostMicros, 6);
        Assert.Equal(100, curve[^1].CostMicros, 6);
        var result = Calibrator.Calibrate(samples, ThresholdSignal.CascadeConfidence, CalibrationTarget.Parse("parity>=0.9"));
        Assert.InRange(Assert.IsType<CurvePoint>(result.Chosen).Threshold, -100, 0);
    }

    [Fact]
    public void ShownCurveIsBoundedAndKeepsTheChosenPoint()
    {
        var result = Calibrator.Calibrate(Synthetic.Traffic(3000, seed: 12), ThresholdSignal.NeedsLlm, CalibrationTarget.Parse("parity>=0.9"),
            settings: new CalibrationSettings { MaxCurvePoints = 50 });

        Assert.InRange(result.Curve.Count, 50, 51);
        Assert.Contains(result.Chosen!, result.Curve);
    }
}
