namespace HybridAI.Retrieval.Ingestion.Extraction;

/// <summary>Plain text: paragraphs are separated by blank lines; single line breaks inside a paragraph are kept as spaces.</summary>
public static partial class PlainTextExtractor
{
    public static ExtractedDocument Extract(string text, string? title, string fallbackTitle)
    {
        var builder = new ExtractedTextBuilder();
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        foreach (var paragraph in ParagraphSplit().Split(normalized))
        {
            builder.AddParagraph(paragraph);
        }

        return builder.Build(title, fallbackTitle);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\n[ \t]*\n")]
    private static partial System.Text.RegularExpressions.Regex ParagraphSplit();
}
