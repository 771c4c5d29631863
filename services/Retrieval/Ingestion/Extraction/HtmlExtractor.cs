using System.Collections.Frozen;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace HybridAI.Retrieval.Ingestion.Extraction;

/// <summary>
/// HTML main-content extraction (AngleSharp's HTML5 parser): page furniture (<c>nav</c>, <c>header</c>, <c>footer</c>,
/// <c>aside</c>, forms, scripts, styles, hidden elements) is dropped; the content root is <c>main</c>, else
/// <c>[role=main]</c>, else the largest <c>article</c>, else <c>body</c>. Headings keep their level; block elements
/// become paragraphs; table rows keep their cells.
/// </summary>
public static class HtmlExtractor
{
    private const string Furniture = "script, style, noscript, template, nav, header, footer, aside, form, svg, iframe, button, "
        + "[hidden], [aria-hidden=true], [role=navigation], [role=banner], [role=contentinfo], [role=complementary]";

    private static readonly FrozenSet<string> Blocks = FrozenSet.ToFrozenSet(
    [
        "p", "div", "section", "article", "main", "blockquote", "ul", "ol", "dl", "dt", "dd", "figure", "figcaption",
        "address", "details", "summary", "fieldset", "body", "center",
    ], StringComparer.Ordinal);

    public static ExtractedDocument Extract(string html, string? title, string fallbackTitle)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(html);
        var pageTitle = document.Title;
        foreach (var element in document.QuerySelectorAll(Furniture).ToList())
        {
            element.Remove();
        }

        var root = document.QuerySelector("main") ?? document.QuerySelector("[role=main]")
            ?? document.QuerySelectorAll("article").OrderByDescending(a => a.TextContent.Length).FirstOrDefault()
            ?? (IElement?)document.Body ?? document.DocumentElement;
        var builder = new ExtractedTextBuilder();
        var walker = new Walker(builder);
        walker.Visit(root);
        walker.Flush();
        return builder.Build(string.IsNullOrWhiteSpace(title) ? pageTitle : title, fallbackTitle);
    }

    private sealed class Walker(ExtractedTextBuilder builder)
    {
        private readonly StringBuilder _inline = new();
        private string _prefix = "";

        public void Visit(INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                switch (child)
                {
                    case IText text:
                        _inline.Append(text.Data);
                        break;
                    case IElement element:
                        VisitElement(element);
                        break;
                }
            }
        }

        public void Flush()
        {
            builder.AddParagraph(_prefix + _inline);
            _inline.Clear();
            _prefix = "";
        }

        private void VisitElement(IElement element)
        {
            var tag = element.LocalName;
            switch (tag)
            {
                case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                    Flush();
                    builder.AddHeading(tag[1] - '0', element.TextContent);
                    break;
                case "pre":
                    Flush();
                    builder.AddParagraph(element.TextContent, preformatted: true);
                    break;
                case "br":
                    _inline.Append(' ');
                    break;
                case "img":
                    if (element.GetAttribute("alt") is { Length: > 0 } alt)
                    {
                        _inline.Append(' ').Append(alt).Append(' ');
                    }

                    break;
                case "li":
                    Flush();
                    _prefix = element.ParentElement?.LocalName == "ol" ? $"{element.Index() + 1}. " : "- ";
                    Visit(element);
                    Flush();
                    break;
                case "table":
                    Flush();
                    var rows = element.QuerySelectorAll("tr")
                        .Select(row => string.Join(" | ", row.Children.Where(c => c.LocalName is "td" or "th").Select(c => ExtractedTextBuilder.Collapse(c.TextContent))))
                        .Where(r => r.Length > 0);
                    builder.AddParagraph(string.Join('\n', rows), preformatted: true);
                    if (element.QuerySelector("caption") is { } caption)
                    {
                        builder.AddParagraph(caption.TextContent);
                    }

                    break;
                default:
                    if (Blocks.Contains(tag))
                    {
                        Flush();
                        Visit(element);
                        Flush();
                    }
                    else
                    {
                        Visit(element);
                    }

                    break;
            }
        }
    }
}
