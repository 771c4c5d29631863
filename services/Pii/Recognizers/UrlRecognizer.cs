namespace HybridAI.Pii.Recognizers;

/// <summary>URLs (http(s)://, www.) and bare domain names on common top-level domains.</summary>
public sealed class UrlRecognizer : IPiiRecognizer
{
    public void Recognize(PiiScan scan, List<PiiFinding> findings)
    {
        var text = scan.Text;
        var urls = findings.Count;
        foreach (var match in Patterns.Url.EnumerateMatches(text))
        {
            var end = TrimTrailingPunctuation(text, match.Index, match.Index + match.Length);
            if (match.Index == 0 || !char.IsLetterOrDigit(text[match.Index - 1]))
            {
                findings.Add(new PiiFinding(PiiEntityTypes.Url, match.Index, end, 0.7));
            }
        }

        foreach (var match in Patterns.Domain.EnumerateMatches(text))
        {
            var start = match.Index;
            var end = start + match.Length;
            if (!TextScan.IsStandalone(text, start, end) || (start > 0 && text[start - 1] is '@' or '.' or '/')
                || (end < text.Length && text[end] == '@'))
            {
                continue;
            }

            var insideUrl = false;
            for (var i = urls; i < findings.Count && !insideUrl; i++)
            {
                insideUrl = findings[i].Start <= start && end <= findings[i].End;
            }

            if (!insideUrl)
            {
                findings.Add(new PiiFinding(PiiEntityTypes.Url, start, end, 0.5));
            }
        }
    }

    private static int TrimTrailingPunctuation(string text, int start, int end)
    {
        while (end > start && text[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or ']' or '}' or '\'' or '"')
        {
            end--;
        }

        return end;
    }
}
