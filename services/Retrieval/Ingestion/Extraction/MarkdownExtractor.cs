using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace HybridAI.Retrieval.Ingestion.Extraction;

/// <summary>
/// Markdown (CommonMark with tables and front matter, parsed by Markdig): headings keep their level, paragraphs and list
/// items become blocks of their visible text (link text, not URLs), code blocks and table rows keep their lines.
/// </summary>
public static class MarkdownExtractor
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseGridTables().UseYamlFrontMatter().Build();

    public static ExtractedDocument Extract(string markdown, string? title, string fallbackTitle)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var builder = new ExtractedTextBuilder();
        foreach (var block in document)
        {
            Add(block, builder, "");
        }

        return builder.Build(title, fallbackTitle);
    }

    private static void Add(Block block, ExtractedTextBuilder builder, string prefix)
    {
        switch (block)
        {
            case YamlFrontMatterBlock or ThematicBreakBlock or LinkReferenceDefinitionGroup:
                break;
            case HeadingBlock heading:
                builder.AddHeading(heading.Level, Inline(heading.Inline));
                break;
            case ParagraphBlock paragraph:
                builder.AddParagraph(prefix + Inline(paragraph.Inline));
                break;
            case CodeBlock code:
                builder.AddParagraph(code.Lines.ToString(), preformatted: true);
                break;
            case Table table:
                var rows = new StringBuilder();
                foreach (var row in table.OfType<TableRow>())
                {
                    rows.AppendLine(string.Join(" | ", row.OfType<TableCell>().Select(c => ExtractedTextBuilder.Collapse(string.Join(' ', c.OfType<LeafBlock>().Select(l => Inline(l.Inline)))))));
                }

                builder.AddParagraph(rows.ToString(), preformatted: true);
                break;
            case ListBlock list:
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var first = true;
                    foreach (var child in item)
                    {
                        Add(child, builder, first && child is ParagraphBlock ? (list.IsOrdered ? $"{list.OrderedStart ?? "1"}. " : "- ") : "");
                        first = false;
                    }
                }

                break;
            case ContainerBlock container:
                foreach (var child in container)
                {
                    Add(child, builder, prefix);
                }

                break;
            case LeafBlock leaf:
                builder.AddParagraph(prefix + (leaf.Inline is null ? leaf.Lines.ToString() : Inline(leaf.Inline)));
                break;
        }
    }

    private static string Inline(ContainerInline? inline)
    {
        var text = new StringBuilder();
        Append(inline, text);
        return text.ToString();
    }

    private static void Append(Inline? inline, StringBuilder text)
    {
        switch (inline)
        {
            case null:
                break;
            case LiteralInline literal:
                text.Append(literal.Content.AsSpan());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.AsSpan());
                break;
            case HtmlInline:
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(child, text);
                }

                break;
        }
    }
}
