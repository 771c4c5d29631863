using HybridAI.Contracts.Governance.V1;
using HybridAI.Quality.Calibration;

namespace HybridAI.Governance.Calibration;

/// <summary>Between the policy's <see cref="RoutingThresholds"/> and the calibrator's <see cref="ThresholdSignal"/>s.</summary>
public static class ThresholdMapping
{
    public static double? Get(RoutingThresholds? thresholds, ThresholdSignal signal) => thresholds switch
    {
        null => null,
        _ => signal switch
        {
            ThresholdSignal.NeedsLlm => thresholds.HasNeedsLlm ? thresholds.NeedsLlm : null,
            ThresholdSignal.FaqScore => thresholds.HasFaqScore ? thresholds.FaqScore : null,
            _ => thresholds.HasCascadeMinMeanLogprob ? thresholds.CascadeMinMeanLogprob : null,
        },
    };

    public static void Set(RoutingThresholds thresholds, ThresholdSignal signal, double value)
    {
        switch (signal)
        {
            case ThresholdSignal.NeedsLlm: thresholds.NeedsLlm = value; break;
            case ThresholdSignal.FaqScore: thresholds.FaqScore = value; break;
            default: thresholds.CascadeMinMeanLogprob = value; break;
        }
    }

    /// <summary>The threshold in force: the tenant's own, else the router default.</summary>
    public static double Effective(RoutingThresholds? thresholds, ThresholdSignal signal, DefaultThresholds defaults) =>
        Get(thresholds, signal) ?? signal switch
        {
            ThresholdSignal.NeedsLlm => defaults.NeedsLlm,
            ThresholdSignal.FaqScore => defaults.FaqScore,
            _ => defaults.MeanLogprob,
        };

    /// <summary>Equal when every signal has the same own threshold (unset equals unset).</summary>
    public static bool SameAs(this RoutingThresholds? a, RoutingThresholds? b) =>
        ThresholdSignals.All.All(s => Get(a, s) == Get(b, s));

    /// <summary><paramref name="current"/> with <paramref name="changes"/> laid over it.</summary>
    public static RoutingThresholds Merge(RoutingThresholds? current, RoutingThresholds changes)
    {
        var merged = current?.Clone() ?? new RoutingThresholds();
        foreach (var signal in ThresholdSignals.All)
        {
            if (Get(changes, signal) is { } value)
            {
                Set(merged, signal, value);
            }
        }

        return merged;
    }

    public static CalibrationCurvePoint ToProto(CurvePoint point) => new()
    {
        Threshold = point.Threshold,
        Parity = point.Parity,
        ParityLowerBound = point.ParityLowerBound,
        LlmShare = point.LlmShare,
        LlmShareUpperBound = point.LlmShareUpperBound,
        CostMicros = point.CostMicros,
        SlmCount = point.SlmCount,
        Count = point.Count,
    };

    public static CurvePoint FromProto(CalibrationCurvePoint point) => new(point.Threshold, point.Count, point.SlmCount, point.Parity,
        point.ParityLowerBound, point.LlmShare, point.LlmShareUpperBound, point.CostMicros);

    public static string StatusName(CalibrationStatus status) => status switch
    {
        CalibrationStatus.Proposed => "proposed",
        CalibrationStatus.Unreachable => "unreachable",
        _ => "insufficient_data",
    };

    public static SignalCalibration ToProto(CalibrationResult result, double currentThreshold)
    {
        var signal = new SignalCalibration
        {
            Signal = result.Signal.Name(),
            Status = StatusName(result.Status),
            Message = result.Message,
            Samples = result.SampleCount,
            CurrentThreshold = currentThreshold,
            Current = result.Current is { } c ? ToProto(c) : null,
            Chosen = result.Chosen is { } chosen ? ToProto(chosen) : null,
            AllLlmCostMicros = result.AllLlmCostMicros,
        };
        signal.Curve.AddRange(result.Curve.Select(ToProto));
        return signal;
    }

    /// <summary>Rebuilds the calibrator's result from a stored proposal (for charts).</summary>
    public static CalibrationResult FromProto(SignalCalibration signal, string target)
    {
        if (!ThresholdSignals.TryParse(signal.Signal, out var kind))
        {
            throw new InvalidDataException($"A stored calibration names an unknown signal '{signal.Signal}'.");
        }

        var status = signal.Status switch
        {
            "proposed" => CalibrationStatus.Proposed,
            "unreachable" => CalibrationStatus.Unreachable,
            _ => CalibrationStatus.InsufficientData,
        };
        return new CalibrationResult(kind, CalibrationTarget.Parse(target), status, signal.Samples, signal.Curve.Select(FromProto).ToList(),
            signal.Chosen is { } chosen ? FromProto(chosen) : null, signal.Current is { } current ? FromProto(current) : null,
            signal.AllLlmCostMicros, signal.Message);
    }
}
