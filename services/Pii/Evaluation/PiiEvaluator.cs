using System.Collections.Frozen;
using System.Text.Json;

namespace HybridAI.Pii.Evaluation;

/// <summary>A labelled span in an evaluation text.</summary>
public sealed record GoldSpan(string Type, int Start, int End);

/// <summary>One evaluation text with its labelled spans.</summary>
public sealed record PiiExample(string Text, IReadOnlyList<GoldSpan> Spans);

/// <summary>One evaluation error: a labelled span missed, or a prediction no label supports.</summary>
public sealed record PiiError(int Example, string Type, string Kind, string Value, string Text);

/// <summary>Per-type counts and scores.</summary>
public sealed record PiiTypeScore(string Type, int Gold, int Predicted, int GoldFound, int PredictedCorrect)
{
    public double Precision => Predicted == 0 ? (Gold == 0 ? double.NaN : 1) : (double)PredictedCorrect / Predicted;

    public double Recall => Gold == 0 ? double.NaN : (double)GoldFound / Gold;

    /// <summary>F-beta with beta = 2: recall weighs four times precision (a missed card number costs more than a false alarm).</summary>
    public double F2 => double.IsNaN(Precision) || double.IsNaN(Recall) || Precision + Recall == 0
        ? (Gold == 0 ? double.NaN : 0)
        : 5 * Precision * Recall / ((4 * Precision) + Recall);
}

/// <summary>
/// Span-level evaluation by coverage: a labelled span counts as found when predictions of its type cover at least
/// half of it, and a prediction counts as correct when labelled spans of its type cover at least half of it. This
/// is what matters for redaction (was the value hidden?) and tolerates datasets that split one address into parts.
/// </summary>
public static class PiiEvaluator
{
    /// <summary>Presidio-research labels mapped to HybridAI's types; labels absent here are not scored.</summary>
    public static FrozenDictionary<string, string> PresidioTypes { get; } = new Dictionary<string, string>
    {
        ["EMAIL_ADDRESS"] = PiiEntityTypes.Email,
        ["EMAIL"] = PiiEntityTypes.Email,
        ["PHONE_NUMBER"] = PiiEntityTypes.PhoneNumber,
        ["CREDIT_CARD"] = PiiEntityTypes.CreditCard,
        ["IBAN_CODE"] = PiiEntityTypes.Iban,
        ["IBAN"] = PiiEntityTypes.Iban,
        ["US_SSN"] = PiiEntityTypes.UsSsn,
        ["IP_ADDRESS"] = PiiEntityTypes.IpAddress,
        ["DOMAIN_NAME"] = PiiEntityTypes.Url,
        ["URL"] = PiiEntityTypes.Url,
        ["PERSON"] = PiiEntityTypes.Person,
        ["ADDRESS"] = PiiEntityTypes.StreetAddress,
        ["STREET_ADDRESS"] = PiiEntityTypes.StreetAddress,
        ["DATE_OF_BIRTH"] = PiiEntityTypes.DateOfBirth,
        ["ZIP"] = PiiEntityTypes.PostalCode,
        ["POSTAL_CODE"] = PiiEntityTypes.PostalCode,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Loads Presidio's JSON format: <c>[{full_text, spans:[{entity_type, start_position, end_position}]}]</c>.</summary>
    public static List<PiiExample> LoadPresidio(Stream json, out SortedSet<string> unscoredLabels)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Expected a JSON array of {full_text, spans} objects.");
        }

        unscoredLabels = new SortedSet<string>(StringComparer.Ordinal);
        var examples = new List<PiiExample>();
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (!item.TryGetProperty("full_text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"Item {index} has no string 'full_text'.");
            }

            var spans = new List<GoldSpan>();
            if (item.TryGetProperty("spans", out var spanArray))
            {
                foreach (var span in spanArray.EnumerateArray())
                {
                    var label = span.GetProperty("entity_type").GetString() ?? "";
                    if (PresidioTypes.TryGetValue(label, out var type))
                    {
                        spans.Add(new GoldSpan(type, span.GetProperty("start_position").GetInt32(), span.GetProperty("end_position").GetInt32()));
                    }
                    else
                    {
                        unscoredLabels.Add(label);
                    }
                }
            }

            examples.Add(new PiiExample(text.GetString()!, spans));
            index++;
        }

        return examples;
    }

    /// <summary>Scores <paramref name="detector"/> on <paramref name="examples"/>, per type.</summary>
    public static IReadOnlyList<PiiTypeScore> Evaluate(PiiDetector detector, IEnumerable<PiiExample> examples)
    {
        var counts = PiiEntityTypes.All.ToDictionary(t => t, _ => new int[4], StringComparer.Ordinal);
        foreach (var example in examples)
        {
            var predicted = detector.Detect(example.Text);
            foreach (var gold in example.Spans)
            {
                var c = counts[gold.Type];
                c[0]++;
                if (Covered(gold.Start, gold.End, predicted.Where(p => p.Type == gold.Type).Select(p => (p.Start, p.End))))
                {
                    c[2]++;
                }
            }

            foreach (var prediction in predicted)
            {
                var c = counts[prediction.Type];
                c[1]++;
                if (Covered(prediction.Start, prediction.End, example.Spans.Where(g => g.Type == prediction.Type).Select(g => (g.Start, g.End))))
                {
                    c[3]++;
                }
            }
        }

        return counts.Select(kv => new PiiTypeScore(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3])).ToList();
    }

    /// <summary>
    /// The errors behind the scores, for reading: each labelled span no prediction of its type covers ("missed") and
    /// each prediction no labelled span of its type covers ("spurious"), with its text.
    /// </summary>
    public static IEnumerable<PiiError> Errors(PiiDetector detector, IEnumerable<PiiExample> examples)
    {
        var index = 0;
        foreach (var example in examples)
        {
            var predicted = detector.Detect(example.Text);
            foreach (var gold in example.Spans)
            {
                if (!Covered(gold.Start, gold.End, predicted.Where(p => p.Type == gold.Type).Select(p => (p.Start, p.End))))
                {
                    yield return new PiiError(index, gold.Type, "missed", example.Text[gold.Start..gold.End], example.Text);
                }
            }

            foreach (var p in predicted)
            {
                if (!Covered(p.Start, p.End, example.Spans.Where(g => g.Type == p.Type).Select(g => (g.Start, g.End))))
                {
                    yield return new PiiError(index, p.Type, "spurious", example.Text[p.Start..p.End], example.Text);
                }
            }

            index++;
        }
    }

    private static bool Covered(int start, int end, IEnumerable<(int Start, int End)> others)
    {
        var covered = 0;
        foreach (var (s, e) in others)
        {
            covered += Math.Max(0, Math.Min(end, e) - Math.Max(start, s));
        }

        return covered * 2 >= end - start;
    }
}
