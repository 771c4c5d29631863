using System.Globalization;
using HybridAI.Quality.Calibration;

namespace HybridAI.Quality.Charts;

/// <summary>The cost/quality curve of a calibration as SVG: parity over LLM share, the target, the current and chosen points.</summary>
public static class CalibrationChart
{
    public static string ToSvg(CalibrationResult result, string? title = null)
    {
        var lines = new List<ChartLine>();
        if (result.Target.MinParity is { } parity)
        {
            lines.Add(new ChartLine(parity, Vertical: false, Invariant($"target parity ≥ {parity:P1}")));
        }

        if (result.Target.MaxLlmShare is { } share)
        {
            lines.Add(new ChartLine(share, Vertical: true, Invariant($"target LLM share ≤ {share:P0}")));
        }

        var marks = new List<ChartMark>();
        if (result.Current is { } current)
        {
            marks.Add(new ChartMark(current.LlmShare, current.Parity, Invariant($"now {Calibrator.Format(current.Threshold)}: parity {current.Parity:P1}"), Filled: false));
        }

        if (result.Chosen is { } chosen)
        {
            marks.Add(new ChartMark(chosen.LlmShare, chosen.Parity,
                Invariant($"proposed {Calibrator.Format(chosen.Threshold)}: parity {chosen.Parity:P1}, cost {(result.Savings ?? 0):P0} below all-LLM")));
        }

        return new CurveChart
        {
            Title = title ?? Invariant($"{result.Signal.Name()} calibration ({result.Target}; {result.SampleCount} samples; {result.Status})"),
            XLabel = "share of requests on the LLM tier",
            YLabel = "parity with the LLM tier",
            Points = result.Curve.Select(p => (p.LlmShare, p.Parity)).ToList(),
            Marks = marks,
            Lines = lines,
        }.ToSvg();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
