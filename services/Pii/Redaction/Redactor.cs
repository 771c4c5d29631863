using System.Text;

namespace HybridAI.Pii.Redaction;

/// <summary>Replaces findings by typed placeholders.</summary>
public static class Redactor
{
    /// <summary>
    /// Returns <paramref name="text"/> with every finding (ordered, non-overlapping, as <see cref="PiiDetector"/> returns
    /// them) replaced by its placeholder from <paramref name="map"/>.
    /// </summary>
    public static string Redact(string text, IReadOnlyList<PiiFinding> findings, RedactionMap map)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        ArgumentNullException.ThrowIfNull(map);
        if (findings.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var finding in findings)
        {
            if (finding.Start < position)
            {
                throw new ArgumentException("Findings must be ordered and must not overlap.", nameof(findings));
            }

            builder.Append(text, position, finding.Start - position);
            builder.Append(map.PlaceholderFor(finding.Type, text[finding.Start..finding.End]));
            position = finding.End;
        }

        builder.Append(text, position, text.Length - position);
        return builder.ToString();
    }
}
