using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace HybridAI.Retrieval.Ingestion.Extraction;

/// <summary>
/// Word documents (DOCX, Open XML SDK): paragraphs in body order; a paragraph is a heading when its style (or the style it
/// is based on) is a built-in heading (<c>heading 1</c>…<c>heading 9</c>, <c>Title</c>) or carries an outline level.
/// Tables become one preformatted block with a line per row. The core properties' title is the document title.
/// </summary>
public static class DocxExtractor
{
    public static ExtractedDocument Extract(Stream docx, string? title, string fallbackTitle)
    {
        using var document = WordprocessingDocument.Open(docx, isEditable: false);
        var main = document.MainDocumentPart ?? throw new InvalidDataException("The package has no main document part.");
        var body = main.Document?.Body ?? throw new InvalidDataException("The main document has no body.");
        var levels = StyleLevels(main.StyleDefinitionsPart?.Styles);
        var builder = new ExtractedTextBuilder();
        foreach (var element in body.ChildElements)
        {
            switch (element)
            {
                case Paragraph paragraph:
                    var text = Text(paragraph);
                    var level = Level(paragraph, levels);
                    if (level > 0)
                    {
                        builder.AddHeading(level, text);
                    }
                    else
                    {
                        builder.AddParagraph(text);
                    }

                    break;
                case Table table:
                    var rows = table.Elements<TableRow>()
                        .Select(row => string.Join(" | ", row.Elements<TableCell>().Select(cell =>
                            ExtractedTextBuilder.Collapse(string.Join(' ', cell.Elements<Paragraph>().Select(Text))))));
                    builder.AddParagraph(string.Join('\n', rows), preformatted: true);
                    break;
            }
        }

        return builder.Build(string.IsNullOrWhiteSpace(title) ? document.PackageProperties.Title : title, fallbackTitle);
    }

    private static string Text(Paragraph paragraph)
    {
        var text = new StringBuilder();
        foreach (var node in paragraph.Descendants())
        {
            switch (node)
            {
                case Text t:
                    text.Append(t.Text);
                    break;
                case TabChar:
                    text.Append(' ');
                    break;
                case Break or CarriageReturn:
                    text.Append(' ');
                    break;
            }
        }

        return text.ToString();
    }

    private static int Level(Paragraph paragraph, Dictionary<string, int> levels)
    {
        var properties = paragraph.ParagraphProperties;
        if (properties?.OutlineLevel?.Val?.Value is { } outline && outline < 9)
        {
            return outline + 1;
        }

        return properties?.ParagraphStyleId?.Val?.Value is { } style && levels.TryGetValue(style, out var level) ? level : 0;
    }

    /// <summary>Heading level per style id, following <c>basedOn</c> chains (a custom style based on Heading 2 is a heading).</summary>
    private static Dictionary<string, int> StyleLevels(Styles? styles)
    {
        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (styles is null)
        {
            foreach (var i in Enumerable.Range(1, 9))
            {
                result[$"Heading{i}"] = i;
            }

            result["Title"] = 1;
            return result;
        }

        var all = styles.Elements<Style>().Where(s => s.StyleId?.Value is not null).ToDictionary(s => s.StyleId!.Value!, StringComparer.OrdinalIgnoreCase);
        foreach (var (id, style) in all)
        {
            var current = style;
            for (var depth = 0; current is not null && depth < 10; depth++)
            {
                var name = current.StyleName?.Val?.Value?.ToLowerInvariant() ?? "";
                var outline = current.StyleParagraphProperties?.OutlineLevel?.Val?.Value;
                var level = name == "title" ? 1
                    : name.StartsWith("heading ", StringComparison.Ordinal) && int.TryParse(name.AsSpan(8), out var n) && n is >= 1 and <= 9 ? n
                    : outline is { } o && o < 9 ? o + 1
                    : 0;
                if (level > 0)
                {
                    result[id] = level;
                    break;
                }

                current = current.BasedOn?.Val?.Value is { } parent && all.TryGetValue(parent, out var p) ? p : null;
            }
        }

        return result;
    }
}
