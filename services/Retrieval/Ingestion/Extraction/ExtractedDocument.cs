using System.Text;

namespace HybridAI.Retrieval.Ingestion.Extraction;

public enum BlockKind
{
    Heading,
    Paragraph,
}

/// <summary>A heading (with its level, 1 = top) or a paragraph-like block: <c>Text[Start..End]</c> of its document.</summary>
public readonly record struct ExtractedBlock(BlockKind Kind, int Level, int Start, int End);

/// <summary>
/// A document reduced to plain text, blocks separated by blank lines, with the position of every heading and paragraph.
/// Chunk offsets and citations refer to this text.
/// </summary>
public sealed record ExtractedDocument(string Text, string Title, IReadOnlyList<ExtractedBlock> Blocks);

/// <summary>Builds an <see cref="ExtractedDocument"/>: whitespace inside blocks is collapsed, empty blocks are dropped.</summary>
public sealed class ExtractedTextBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<ExtractedBlock> _blocks = [];
    private string? _firstHeading;

    public void AddHeading(int level, string text)
    {
        var start = Append(Collapse(text));
        if (start >= 0)
        {
            _blocks.Add(new ExtractedBlock(BlockKind.Heading, Math.Clamp(level, 1, 9), start, _text.Length));
            _firstHeading ??= _text.ToString(start, _text.Length - start);
        }
    }

    /// <summary>Adds a paragraph; <paramref name="preformatted"/> keeps its line breaks and indentation (code, tables).</summary>
    public void AddParagraph(string text, bool preformatted = false)
    {
        var start = Append(preformatted ? TrimLines(text) : Collapse(text));
        if (start >= 0)
        {
            _blocks.Add(new ExtractedBlock(BlockKind.Paragraph, 0, start, _text.Length));
        }
    }

    /// <summary>The document; its title is <paramref name="title"/>, else the first heading, else <paramref name="fallbackTitle"/>.</summary>
    public ExtractedDocument Build(string? title, string fallbackTitle) =>
        new(_text.ToString(), Collapse(title ?? "") is { Length: > 0 } t ? t : _firstHeading ?? fallbackTitle, _blocks);

    private int Append(string block)
    {
        if (block.Length == 0)
        {
            return -1;
        }

        if (_text.Length > 0)
        {
            _text.Append("\n\n");
        }

        var start = _text.Length;
        _text.Append(block);
        return start;
    }

    /// <summary>Runs of whitespace become one space; control characters are dropped.</summary>
    public static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (char.IsControl(c) || c == '\uFEFF')
            {
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string TrimLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')
            .Select(l => new string([.. l.TrimEnd().Where(c => c == '\t' || !char.IsControl(c))]));
        return string.Join('\n', lines).Trim('\n');
    }
}
