namespace HybridAI.Governance.Quality;

/// <summary>
/// What is known of one routed response's quality, joined with the facts of its routing receipt. This is the sample a
/// threshold calibration learns from: the signals the router decided on, where the request went, what it cost, and how
/// good the answer turned out to be (a user's rating, a shadow judge's parity with the LLM tier, or both).
/// </summary>
/// <param name="RequestId">The routed request's id (the response id is <c>chatcmpl-</c> + this).</param>
/// <param name="Time">When the request was routed (the receipt's time, UTC).</param>
/// <param name="Tier">Where it was served: slm, llm, cache, blocked.</param>
/// <param name="Intent">The intent signal (empty when the classifier did not run).</param>
/// <param name="Model">The model that served it (<c>faq/&lt;collection&gt;</c> for FAQ answers).</param>
/// <param name="NeedsLlmProbability">The needs-LLM head's probability, 0..1.</param>
/// <param name="FaqScore">The best FAQ match's calibrated score, when a rule looked it up.</param>
/// <param name="CascadeConfidence">The local generator's mean token log-probability, when it generated the answer.</param>
/// <param name="Rating">The user's rating (-1, 0, 1), or null when not rated.</param>
/// <param name="ShadowParity">The shadow judge's parity with the LLM tier (0..1), or null when not shadow-evaluated.</param>
/// <param name="CostMicros">What the request cost (micro-dollars).</param>
/// <param name="LlmCostMicros">What the shadow re-run on the LLM tier cost (what serving it there would have cost), or null.</param>
/// <param name="Judge">The shadow judge (a catalogue id, or <c>exact-match</c>), or null.</param>
/// <param name="Comment">The user's comment with the rating (PII already redacted by the router), or null.</param>
public sealed record QualityObservation(
    string RequestId,
    DateTimeOffset Time,
    string Tier,
    string Intent,
    string Model,
    double NeedsLlmProbability,
    double? FaqScore,
    double? CascadeConfidence,
    int? Rating,
    double? ShadowParity,
    long CostMicros,
    long? LlmCostMicros,
    string? Judge,
    string? Comment);
