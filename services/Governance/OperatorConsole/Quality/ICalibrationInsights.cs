namespace HybridAI.Governance.OperatorConsole.Quality;

/// <summary>
/// The extension point of the quality view for threshold calibration: the tenant's routing thresholds with their history
/// and the predicted cost/quality curve they were chosen from. The console renders whatever this returns in its
/// "Thresholds and calibration" section (<see cref="Pages.CalibrationSection"/>); governance registers
/// <c>Calibration.CalibrationInsightsService</c> in place of <see cref="NoCalibrationInsights"/>.
/// </summary>
public interface ICalibrationInsights
{
    /// <summary>The tenant's calibration view, or null when no calibration exists for it (or no tenant is selected).</summary>
    Task<CalibrationInsights?> GetAsync(string tenantId, CancellationToken cancellationToken);
}

/// <summary>A tenant's thresholds, their history, and the cost/quality curve of the last calibration.</summary>
/// <param name="Current">Each threshold's value in force (needs-llm, faq-score, cascade-confidence, …).</param>
/// <param name="History">Threshold changes, newest first: proposed, approved, applied or rolled back.</param>
/// <param name="Curve">Predicted cost and parity for candidate settings, by increasing cost.</param>
/// <param name="Target">The operator's target in words (e.g. "≥ 95 % parity at minimum cost"), or empty.</param>
public sealed record CalibrationInsights(
    IReadOnlyList<ThresholdValue> Current,
    IReadOnlyList<ThresholdChange> History,
    IReadOnlyList<CostQualityPoint> Curve,
    string Target);

public sealed record ThresholdValue(string Name, double Value);

public sealed record ThresholdChange(DateTimeOffset Time, string Name, double? From, double To, string Status, string Actor);

/// <summary>One setting on the curve: its cost per 1,000 requests (USD), its parity with the LLM tier and its LLM share; <see cref="Chosen"/> marks the one the calibration chose.</summary>
public sealed record CostQualityPoint(string Label, double CostPer1kUsd, double Parity, double LlmShare, bool Chosen);

/// <summary>No calibration engine is installed: the section says so and how to calibrate.</summary>
public sealed class NoCalibrationInsights : ICalibrationInsights
{
    public Task<CalibrationInsights?> GetAsync(string tenantId, CancellationToken cancellationToken) => Task.FromResult<CalibrationInsights?>(null);
}
