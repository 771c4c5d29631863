using System.Globalization;

namespace HybridAI.Quality.Calibration;

/// <summary>
/// Finds the threshold of one routing signal that meets an operator's <see cref="CalibrationTarget"/> on observed
/// samples. Every distinct signal value is a candidate cut (thresholds sit midway between neighbouring values, so
/// they do not hinge on one sample); for each cut the curve holds the predicted parity (LLM answers count as parity 1),
/// LLM share and mean cost. A proposal must meet the target by its confidence bounds, not only by the point estimate,
/// so that it holds on new traffic like the samples.
/// </summary>
public static class Calibrator
{
    public static CalibrationResult Calibrate(
        IReadOnlyList<CalibrationSample> samples, ThresholdSignal signal, CalibrationTarget target,
        double? currentThreshold = null, CalibrationSettings? settings = null)
    {
        settings ??= CalibrationSettings.Default;
        var carrying = Carrying(samples, signal);
        var current = currentThreshold is { } t && carrying.Count > 0 ? Evaluate(carrying, signal, t, settings) : null;
        var allLlm = carrying.Count == 0 ? 0 : carrying.Average(s => LlmPathCost(s, signal));
        if (carrying.Count < settings.MinSamples)
        {
            return new CalibrationResult(signal, target, CalibrationStatus.InsufficientData, carrying.Count, [], null, current, allLlm,
                $"{carrying.Count} sample(s) carry {signal.Name()}; calibration needs at least {settings.MinSamples} to predict parity and LLM share with useful confidence.");
        }

        var curve = Curve(carrying, signal, settings);
        var feasible = curve.Where(p => p.SlmCount > 0 && Meets(p, target)).ToList();
        var chosen = feasible.Count == 0 ? null
            : target.MinimisesCost
                ? feasible.OrderBy(p => p.CostMicros).ThenByDescending(p => p.Parity).First()
                : feasible.OrderByDescending(p => p.Parity).ThenBy(p => p.CostMicros).First();
        var shown = Downsample(curve, chosen, settings.MaxCurvePoints);
        if (chosen is null)
        {
            return new CalibrationResult(signal, target, CalibrationStatus.Unreachable, carrying.Count, shown, null, current, allLlm,
                Unreachable(curve, signal, target, settings));
        }

        return new CalibrationResult(signal, target, CalibrationStatus.Proposed, carrying.Count, shown, chosen, current, allLlm,
            Statement(chosen, current, allLlm, signal, settings));
    }

    /// <summary>What <paramref name="threshold"/> gives on <paramref name="samples"/> (those carrying the signal).</summary>
    public static CurvePoint Evaluate(IReadOnlyList<CalibrationSample> samples, ThresholdSignal signal, double threshold, CalibrationSettings? settings = null)
    {
        settings ??= CalibrationSettings.Default;
        var accumulator = new Accumulator();
        foreach (var sample in samples)
        {
            if (sample.Value(signal) is { } value && double.IsFinite(value))
            {
                accumulator.Add(sample, signal, signal.RoutesToSlm(value, threshold));
            }
        }

        return accumulator.Point(threshold, settings.Z);
    }

    /// <summary>The full curve: one point per cut between distinct signal values, from all-LLM to all-SLM.</summary>
    public static IReadOnlyList<CurvePoint> Curve(IReadOnlyList<CalibrationSample> samples, ThresholdSignal signal, CalibrationSettings? settings = null)
    {
        settings ??= CalibrationSettings.Default;
        var (min, max) = signal.Range();
        var below = signal.SlmWhenBelow();
        var ordered = Carrying(samples, signal)
            .Select(s => (Value: Math.Clamp(s.Value(signal)!.Value, min, max), Sample: s))
            .OrderBy(x => below ? x.Value : -x.Value)
            .ToList();
        var points = new List<CurvePoint>();
        if (ordered.Count == 0)
        {
            return points;
        }

        // Every request starts on the LLM path; each group of equal values then moves to the SLM path together.
        var accumulator = new Accumulator();
        foreach (var (_, sample) in ordered)
        {
            accumulator.Add(sample, signal, slm: false);
        }

        var none = below ? min : max;
        if (!signal.RoutesToSlm(ordered[0].Value, none))
        {
            points.Add(accumulator.Point(none, settings.Z));
        }

        for (var i = 0; i < ordered.Count;)
        {
            var value = ordered[i].Value;
            for (; i < ordered.Count && ordered[i].Value == value; i++)
            {
                accumulator.Move(ordered[i].Sample, signal);
            }

            // The last cut sits just past the highest observed value, not at the end of the signal's range: samples
            // only say how SLM answers did where traffic was observed, so a proposal never loosens a threshold beyond it.
            var threshold = i < ordered.Count ? (value + ordered[i].Value) / 2
                : below ? Math.Min(max, Math.BitIncrement(value)) : Math.Max(min, Math.BitDecrement(value));
            if (i < ordered.Count || signal.RoutesToSlm(value, threshold))
            {
                points.Add(accumulator.Point(threshold, settings.Z));
            }
        }

        return points;
    }

    private static List<CalibrationSample> Carrying(IReadOnlyList<CalibrationSample> samples, ThresholdSignal signal) =>
        samples.Where(s => s.Value(signal) is { } v && double.IsFinite(v)).ToList();

    private static bool Meets(CurvePoint point, CalibrationTarget target) =>
        (target.MinParity is not { } parity || point.ParityLowerBound >= parity)
        && (target.MaxLlmShare is not { } share || point.LlmShareUpperBound <= share);

    internal static double LlmPathCost(CalibrationSample sample, ThresholdSignal signal) =>
        signal.Escalates() ? sample.SlmCostMicros + sample.LlmCostMicros : sample.LlmCostMicros;

    private static List<CurvePoint> Downsample(IReadOnlyList<CurvePoint> curve, CurvePoint? chosen, int max)
    {
        if (curve.Count <= max)
        {
            return [.. curve];
        }

        var step = (curve.Count - 1) / (double)(max - 1);
        var kept = Enumerable.Range(0, max).Select(i => curve[(int)Math.Round(i * step)]).ToList();
        if (chosen is not null && !kept.Contains(chosen))
        {
            kept.Add(chosen);
            kept.Sort((a, b) => b.LlmShare.CompareTo(a.LlmShare));
        }

        return kept;
    }

    private static string Statement(CurvePoint chosen, CurvePoint? current, double allLlm, ThresholdSignal signal, CalibrationSettings settings)
    {
        var text = Invariant($"{signal.Name()} {Format(chosen.Threshold)} on {chosen.Count} samples: {chosen.SlmShare:P1} of requests on the SLM tier, ")
            + Invariant($"predicted parity {chosen.Parity:P1} (lower bound {chosen.ParityLowerBound:P1}), LLM share {chosen.LlmShare:P1} ")
            + Invariant($"(upper bound {chosen.LlmShareUpperBound:P1}), cost {chosen.CostMicros:0.#} µ$/request")
            + (allLlm > 0 ? Invariant($" ({1 - (chosen.CostMicros / allLlm):P0} below all-LLM).") : ".");
        if (current is not null)
        {
            text += Invariant(
                $" Now ({Format(current.Threshold)}): parity {current.Parity:P1}, LLM share {current.LlmShare:P1}, cost {current.CostMicros:0.#} µ$/request.");
        }

        return text + Invariant(
            $" Bounds are one-sided at z={settings.Z:0.###} and hold for traffic like these samples; recalibrate when traffic changes.");
    }

    private static string Unreachable(IReadOnlyList<CurvePoint> curve, ThresholdSignal signal, CalibrationTarget target, CalibrationSettings settings)
    {
        var usable = curve.Where(p => p.SlmCount > 0).ToList();
        var closest = target.MinParity is not null
            ? usable.MaxBy(p => p.ParityLowerBound)
            : usable.MinBy(p => p.LlmShareUpperBound);
        var text = Invariant($"Target unreachable on this data: no {signal.Name()} threshold meets {target} by its bounds (z={settings.Z:0.###}) while answering any request on the SLM tier.");
        return closest is null ? text : text + Invariant(
            $" Closest: {Format(closest.Threshold)} gives parity {closest.Parity:P1} (lower bound {closest.ParityLowerBound:P1}) at LLM share {closest.LlmShare:P1} (upper bound {closest.LlmShareUpperBound:P1})")
            + ". More samples narrow the bounds; a looser target or a better signal may be needed.";
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static string Format(double threshold) => threshold.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>Running sums over the samples of one cut.</summary>
    private sealed class Accumulator
    {
        private int _count;
        private int _slm;
        private double _loss;
        private double _lossSquares;
        private double _cost;

        public void Add(CalibrationSample sample, ThresholdSignal signal, bool slm)
        {
            _count++;
            if (slm)
            {
                _slm++;
                var loss = 1 - sample.Parity;
                _loss += loss;
                _lossSquares += loss * loss;
                _cost += sample.SlmCostMicros;
            }
            else
            {
                _cost += LlmPathCost(sample, signal);
            }
        }

        public void Move(CalibrationSample sample, ThresholdSignal signal)
        {
            var loss = 1 - sample.Parity;
            _slm++;
            _loss += loss;
            _lossSquares += loss * loss;
            _cost += sample.SlmCostMicros - LlmPathCost(sample, signal);
        }

        public CurvePoint Point(double threshold, double z)
        {
            if (_count == 0)
            {
                return new CurvePoint(threshold, 0, 0, 1, 1, 0, 0, 0);
            }

            var n = (double)_count;
            var meanLoss = _loss / n;
            var variance = Math.Max(0, (_lossSquares / n) - (meanLoss * meanLoss));
            var share = (_count - _slm) / n;
            return new CurvePoint(threshold, _count, _slm, 1 - meanLoss, 1 - meanLoss - (z * Math.Sqrt(variance / n)),
                share, Math.Min(1, share + (z * Math.Sqrt(share * (1 - share) / n))), _cost / n);
        }
    }
}
