using HybridAI.Governance.Quality;
using HybridAI.Quality.Calibration;

namespace HybridAI.Governance.Calibration;

/// <summary>
/// Calibration samples from the quality store: the tenant's requests served on the SLM tier or from the cache that a
/// shadow judge scored or a user rated, with their routing signals and the cost of both paths (docs/quality.md,
/// "Samples from the quality store").
/// </summary>
/// <remarks>
/// Only SLM-tier and cache answers are evidence of how the SLM path compares with the LLM path: a request the LLM tier
/// served says nothing about what the SLM answer would have been. Parity is the shadow judge's when there is one
/// (<c>judge</c>); otherwise the rating maps -1 → 0, 0 → 0.5, 1 → 1 (<c>feedback</c>). The LLM cost is the shadow
/// re-run's; a rated request without one is given the window's mean LLM cost (of the tenant's shadow re-runs, else of
/// its observed LLM-tier requests), and is left out when the window has neither.
/// </remarks>
public sealed class QualityCalibrationSampleSource(IQualityStore quality, ILogger<QualityCalibrationSampleSource> logger) : ICalibrationSampleSource
{
    public const string JudgeSource = "judge";
    public const string FeedbackSource = "feedback";

    public async Task<IReadOnlyList<CalibrationSample>> GetSamplesAsync(string tenantId, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        // The store reads every tenant's rows for an empty id (the console's all-tenant view); calibration never may.
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);

        var evidence = new List<QualityObservation>();
        double shadowLlmCost = 0, llmTierCost = 0;
        int shadowLlmCount = 0, llmTierCount = 0;
        await foreach (var observation in quality.ReadAsync(tenantId, since, until, cancellationToken))
        {
            if (observation.LlmCostMicros is { } rerun)
            {
                shadowLlmCost += rerun;
                shadowLlmCount++;
            }

            if (observation.Tier == "llm")
            {
                llmTierCost += observation.CostMicros;
                llmTierCount++;
            }
            else if (IsSlmPath(observation.Tier) && (observation.ShadowParity is not null || observation.Rating is not null))
            {
                evidence.Add(observation);
            }
        }

        double? estimate = shadowLlmCount > 0 ? shadowLlmCost / shadowLlmCount : llmTierCount > 0 ? llmTierCost / llmTierCount : null;
        var samples = new List<CalibrationSample>(evidence.Count);
        var skipped = 0;
        foreach (var observation in evidence)
        {
            if ((observation.LlmCostMicros ?? estimate) is not { } llmCost)
            {
                skipped++;
                continue;
            }

            samples.Add(ToSample(observation, llmCost));
        }

        if (skipped > 0)
        {
            logger.LogInformation(
                "Calibration of tenant {Tenant} left out {Skipped} rated request(s): no shadow re-run or LLM-tier request in the window tells what the LLM path costs.",
                tenantId, skipped);
        }

        return samples;
    }

    /// <summary>Whether a request served on <paramref name="tier"/> shows how the SLM path did (the SLM tier or the cache).</summary>
    public static bool IsSlmPath(string tier) => tier is "slm" or "cache";

    /// <summary>A rating as parity: -1 (worse) → 0, 0 (neutral) → 0.5, 1 (good) → 1.</summary>
    public static double RatingParity(int rating) => (Math.Clamp(rating, -1, 1) + 1) / 2.0;

    private static CalibrationSample ToSample(QualityObservation o, double llmCostMicros) =>
        new(o.NeedsLlmProbability, o.FaqScore, o.CascadeConfidence, o.ShadowParity ?? RatingParity(o.Rating!.Value), o.CostMicros, llmCostMicros)
        {
            Source = o.ShadowParity is null ? FeedbackSource : JudgeSource,
        };
}
