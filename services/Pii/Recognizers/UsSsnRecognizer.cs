namespace HybridAI.Pii.Recognizers;

/// <summary>
/// US Social Security numbers in the issued ranges (area not 000, 666 or 9xx; group not 00; serial not 0000).
/// Grouped forms (123-45-6789) stand alone; nine bare digits need a context word, since such numbers are common.
/// </summary>
public sealed class UsSsnRecognizer : IPiiRecognizer
{
    private static readonly string[] ContextWords = ["ssn", "social security", "social sec", "ss#", "ss #", "taxpayer"];

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        Span<char> digits = stackalloc char[10];
        foreach (var match in Patterns.Ssn.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = start + match.Length;
            var span = text.AsSpan(start, match.Length);
            if (!TextScan.IsStandalone(text, start, end) || TextScan.Digits(span, digits) != 9 || !Valid(digits[..9]))
            {
                continue;
            }

            var grouped = span.Length == 11 && span[3] == span[6] && span[3] is '-' or ' ';
            var context = TextScan.HasContext(text, start, end, ContextWords);
            if (span.Length == 9 && !context)
            {
                continue;
            }

            if (span.Length == 11 && !grouped)
            {
                continue;
            }

            if (span.Length == 10)
            {
                continue;
            }

            findings.Add(new PiiFinding(PiiEntityTypes.UsSsn, start, end, context ? 0.95 : 0.8));
        }
    }

    private static bool Valid(ReadOnlySpan<char> d)
    {
        var area = TextScan.ParseInt(d[..3]);
        var group = TextScan.ParseInt(d[3..5]);
        var serial = TextScan.ParseInt(d[5..9]);
        return area is not (0 or 666) && area < 900 && group != 0 && serial != 0;
    }
}
