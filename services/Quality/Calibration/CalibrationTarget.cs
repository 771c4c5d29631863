using System.Globalization;

namespace HybridAI.Quality.Calibration;

/// <summary>
/// What the operator wants from calibration, parsed from text:
/// <list type="bullet">
/// <item><c>parity&gt;=0.95</c>: the cheapest threshold whose parity with the LLM tier is at least 95%;</item>
/// <item><c>llm-share&lt;=0.30</c>: the threshold with the best parity that sends at most 30% of requests to the LLM tier;</item>
/// <item>both, separated by a comma (<c>parity&gt;=0.9, llm-share&lt;=0.5</c>): the cheapest threshold meeting both.</item>
/// </list>
/// Values are fractions (0.95) or percentages (95%).
/// </summary>
public sealed record CalibrationTarget(double? MinParity, double? MaxLlmShare)
{
    /// <summary>True when the objective is the lowest cost (a parity floor is given); else the best parity.</summary>
    public bool MinimisesCost => MinParity is not null;

    /// <summary>The canonical text (what <see cref="Parse"/> reads back).</summary>
    public override string ToString() => string.Join(", ", new[]
    {
        MinParity is { } p ? string.Create(CultureInfo.InvariantCulture, $"parity>={p:0.####}") : null,
        MaxLlmShare is { } s ? string.Create(CultureInfo.InvariantCulture, $"llm-share<={s:0.####}") : null,
    }.Where(t => t is not null));

    /// <summary>Parses a target; <see cref="FormatException"/> names what is wrong and what is accepted.</summary>
    public static CalibrationTarget Parse(string? text) =>
        TryParse(text, out var target, out var error) ? target : throw new FormatException(error);

    public static bool TryParse(string? text, out CalibrationTarget target, out string error)
    {
        target = new CalibrationTarget(null, null);
        const string Accepted = "expected \"parity>=0.95\" (cheapest threshold keeping parity), \"llm-share<=0.30\" (best parity within an LLM share), or both separated by a comma";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"The calibration target is empty: {Accepted}.";
            return false;
        }

        double? parity = null, share = null;
        foreach (var raw in text.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var clause = raw.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
            var op = clause.Contains(">=", StringComparison.Ordinal) ? ">=" : clause.Contains("<=", StringComparison.Ordinal) ? "<=" : null;
            if (op is null)
            {
                error = $"The calibration target clause '{raw}' has no >= or <=: {Accepted}.";
                return false;
            }

            var parts = clause.Split(op);
            var metric = parts[0].Replace('_', '-');
            if (metric is not ("parity" or "llm-share"))
            {
                error = $"The calibration target clause '{raw}' names '{parts[0]}', which is not a target metric (parity, llm-share): {Accepted}.";
                return false;
            }

            if (!TryValue(parts[1], out var value))
            {
                error = $"The calibration target clause '{raw}' has '{parts[1]}' where a fraction (0.95) or a percentage (95%) between 0 and 1 belongs.";
                return false;
            }

            switch (metric, op)
            {
                case ("parity", ">="):
                    if (parity is not null)
                    {
                        error = $"The calibration target '{text}' states parity twice.";
                        return false;
                    }

                    parity = value;
                    break;
                case ("llm-share", "<="):
                    if (share is not null)
                    {
                        error = $"The calibration target '{text}' states llm-share twice.";
                        return false;
                    }

                    share = value;
                    break;
                default:
                    error = $"The calibration target clause '{raw}' points the wrong way: parity is a floor (parity>=x), llm-share a ceiling (llm-share<=x).";
                    return false;
            }
        }

        target = new CalibrationTarget(parity, share);
        error = "";
        return true;
    }

    private static bool TryValue(string text, out double value)
    {
        var percent = text.EndsWith('%');
        var ok = double.TryParse(percent ? text[..^1] : text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        if (percent)
        {
            value /= 100;
        }

        return ok && double.IsFinite(value) && value is >= 0 and <= 1;
    }
}
