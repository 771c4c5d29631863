namespace HybridAI.Pii.Recognizers;

/// <summary>
/// Postal codes: UK and Canadian shapes stand alone (they are distinctive); US ZIP codes need an address context
/// (a context word, or a US state abbreviation just before), since five-digit numbers are everywhere.
/// </summary>
public sealed class PostalCodeRecognizer : IPiiRecognizer
{
    private static readonly string[] ContextWords = ["zip", "postal", "postcode", "post code", "address", "plz"];

    private static readonly HashSet<string> States = new(StringComparer.Ordinal)
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MD",
        "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC",
        "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    };

    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        foreach (var match in Patterns.UsZip.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = start + match.Length;
            if (!TextScan.IsStandalone(text, start, end))
            {
                continue;
            }

            var afterState = start >= 3 && text[start - 1] == ' ' && States.Contains(text.Substring(start - 3, 2))
                && (start == 3 || !char.IsLetter(text[start - 4]));
            if (afterState || TextScan.HasContext(text, start, end, ContextWords, before: 60))
            {
                findings.Add(new PiiFinding(PiiEntityTypes.PostalCode, start, end, afterState ? 0.75 : 0.6));
            }
        }

        foreach (var pattern in new[] { Patterns.UkPostcode, Patterns.CanadianPostcode })
        {
            foreach (var match in pattern.EnumerateMatches(text))
            {
                var start = match.Index;
                var end = start + match.Length;
                var span = text.AsSpan(start, match.Length);
                // Upper case as written on envelopes; lower-case look-alikes are usually something else.
                if (TextScan.IsStandalone(text, start, end) && !span.ContainsAnyInRange('a', 'z'))
                {
                    findings.Add(new PiiFinding(PiiEntityTypes.PostalCode, start, end, 0.7));
                }
            }
        }
    }
}
