namespace HybridAI.Quality.Calibration;

/// <summary>
/// One observed request: the routing signals it had and how the SLM answer compared with the LLM answer.
/// </summary>
/// <param name="NeedsLlmProbability">The needs-LLM head's probability (0..1).</param>
/// <param name="FaqScore">The calibrated score of the best FAQ match, when the request went through the FAQ path.</param>
/// <param name="CascadeConfidence">The SLM answer's mean token log-probability, when a local answer was generated.</param>
/// <param name="Parity">
/// How good the SLM answer was compared with the LLM answer, 0..1 (1: as good). From a shadow judge, user feedback or
/// labels; with labels it is 1 when the small model was right or the large one was wrong too.
/// </param>
/// <param name="SlmCostMicros">What answering on the SLM path costs (micro-dollars).</param>
/// <param name="LlmCostMicros">What answering on the LLM path costs (micro-dollars).</param>
public sealed record CalibrationSample(
    double NeedsLlmProbability,
    double? FaqScore,
    double? CascadeConfidence,
    double Parity,
    double SlmCostMicros,
    double LlmCostMicros)
{
    /// <summary>Where the parity came from (<c>judge</c>, <c>feedback</c>, <c>label</c>); informational.</summary>
    public string Source { get; init; } = "";

    /// <summary>The value of <paramref name="signal"/> on this sample, or null when it does not carry it.</summary>
    public double? Value(ThresholdSignal signal) => signal switch
    {
        ThresholdSignal.NeedsLlm => NeedsLlmProbability,
        ThresholdSignal.FaqScore => FaqScore,
        _ => CascadeConfidence,
    };
}
