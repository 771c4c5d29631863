namespace HybridAI.Pii.Recognizers;

/// <summary>E-mail addresses (RFC 5322 dot-atom local parts and DNS domains).</summary>
public sealed class EmailRecognizer : IPiiRecognizer
{
    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        foreach (var match in Patterns.Email.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = match.Index + match.Length;
            if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '_' or '%' or '+' or '-'))
            {
                continue;
            }

            findings.Add(new PiiFinding(PiiEntityTypes.Email, start, end, 0.95));
        }
    }
}
