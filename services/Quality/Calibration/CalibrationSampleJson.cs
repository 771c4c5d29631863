using System.Text.Json;

namespace HybridAI.Quality.Calibration;

/// <summary>
/// Calibration samples as JSON lines: <c>{"needs_llm_probability": 0.42, "faq_score": 0.81, "cascade_confidence": -0.9,
/// "parity": 1, "slm_cost_micros": 120, "llm_cost_micros": 2400, "source": "judge"}</c> (faq_score, cascade_confidence,
/// source optional). Blank lines are skipped; any other problem fails with the line number.
/// </summary>
public static class CalibrationSampleJson
{
    public static bool LooksLikeSample(JsonElement row) => row.TryGetProperty("parity", out _);

    /// <summary>Reads one row; <see cref="FormatException"/> says which field is wrong.</summary>
    public static CalibrationSample Parse(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("expected a JSON object per line.");
        }

        var parity = Number(row, "parity", required: true)!.Value;
        if (parity is < 0 or > 1)
        {
            throw new FormatException($"parity must be between 0 and 1, not {parity}.");
        }

        var needsLlm = Number(row, "needs_llm_probability", required: true)!.Value;
        if (needsLlm is < 0 or > 1)
        {
            throw new FormatException($"needs_llm_probability must be between 0 and 1, not {needsLlm}.");
        }

        var slm = Number(row, "slm_cost_micros", required: true)!.Value;
        var llm = Number(row, "llm_cost_micros", required: true)!.Value;
        if (slm < 0 || llm < 0)
        {
            throw new FormatException("slm_cost_micros and llm_cost_micros must not be negative.");
        }

        return new CalibrationSample(needsLlm, Number(row, "faq_score", false), Number(row, "cascade_confidence", false), parity, slm, llm)
        {
            Source = row.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String ? source.GetString()! : "",
        };
    }

    /// <summary>Reads a JSONL file of samples.</summary>
    public static List<CalibrationSample> Read(string path)
    {
        var samples = new List<CalibrationSample>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                samples.Add(Parse(document.RootElement));
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                throw new FormatException($"{path}:{line}: {e.Message}", e);
            }
        }

        return samples;
    }

    public static void Write(Utf8JsonWriter writer, CalibrationSample sample)
    {
        writer.WriteStartObject();
        writer.WriteNumber("needs_llm_probability", sample.NeedsLlmProbability);
        if (sample.FaqScore is { } faq)
        {
            writer.WriteNumber("faq_score", faq);
        }

        if (sample.CascadeConfidence is { } cascade)
        {
            writer.WriteNumber("cascade_confidence", cascade);
        }

        writer.WriteNumber("parity", sample.Parity);
        writer.WriteNumber("slm_cost_micros", sample.SlmCostMicros);
        writer.WriteNumber("llm_cost_micros", sample.LlmCostMicros);
        if (sample.Source.Length > 0)
        {
            writer.WriteString("source", sample.Source);
        }

        writer.WriteEndObject();
    }

    private static double? Number(JsonElement row, string name, bool required)
    {
        if (!row.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? throw new FormatException($"missing {name}.") : null;
        }

        if (value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.False)
        {
            return value.GetBoolean() ? 1 : 0;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw new FormatException($"{name} must be a number, not {value.GetRawText()}.");
    }
}
