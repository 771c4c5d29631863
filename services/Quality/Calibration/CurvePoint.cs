namespace HybridAI.Quality.Calibration;

/// <summary>
/// What one threshold predicts over a set of samples. Shares and parity are fractions of all requests; the cost is
/// the mean per request. Bounds are one-sided at the calibrator's confidence (normal approximation).
/// </summary>
public sealed record CurvePoint(
    double Threshold,
    int Count,
    int SlmCount,
    double Parity,
    double ParityLowerBound,
    double LlmShare,
    double LlmShareUpperBound,
    double CostMicros)
{
    public double SlmShare => Count == 0 ? 0 : SlmCount / (double)Count;
}

/// <summary>The calibrator's limits.</summary>
public sealed record CalibrationSettings
{
    /// <summary>Fewer samples carrying the signal than this: no proposal (the curve would be noise).</summary>
    public int MinSamples { get; init; } = 200;

    /// <summary>One-sided z of the bounds a proposal must meet (1.645: 95%).</summary>
    public double Z { get; init; } = 1.645;

    /// <summary>At most this many points are kept on the curve that is shown and stored (the chosen one always is).</summary>
    public int MaxCurvePoints { get; init; } = 200;

    public static CalibrationSettings Default { get; } = new();
}

/// <summary>The outcome kinds of a calibration.</summary>
public enum CalibrationStatus
{
    /// <summary>A threshold meets the target; see <see cref="CalibrationResult.Chosen"/>.</summary>
    Proposed,

    /// <summary>No threshold meets the target on this data.</summary>
    Unreachable,

    /// <summary>Too few samples carry the signal.</summary>
    InsufficientData,
}

/// <summary>A calibration of one signal: the cost/quality curve, the chosen point (if any) and a statement of confidence.</summary>
public sealed record CalibrationResult(
    ThresholdSignal Signal,
    CalibrationTarget Target,
    CalibrationStatus Status,
    int SampleCount,
    IReadOnlyList<CurvePoint> Curve,
    CurvePoint? Chosen,
    CurvePoint? Current,
    double AllLlmCostMicros,
    string Message)
{
    /// <summary>How much cheaper than sending everything to the LLM tier the chosen point is (0..1), if any.</summary>
    public double? Savings => Chosen is { } c && AllLlmCostMicros > 0 ? 1 - (c.CostMicros / AllLlmCostMicros) : null;
}
