using HybridAI.Retrieval.Ingestion.Extraction;
using HybridAI.SlmInference.Core.Tokenization;

namespace HybridAI.Retrieval.Ingestion.Chunking;

/// <summary>A chunk of a document: <c>Text[Start..End]</c> of its extracted text, its section path and size in word pieces.</summary>
public sealed record Chunk(int Index, string Title, int Start, int End, string Text, int Tokens);

/// <summary>
/// Token-aware chunking in the encoder's own word pieces (the same BertTokenizer slm-inference runs), so every chunk fits
/// the model's window. A document is cut into sections at headings (a chunk never spans two sections); inside a section,
/// chunks of at most <see cref="ChunkingOptions.MaxTokens"/> pieces end at the latest paragraph boundary, else sentence
/// boundary, else word boundary in their second half, and the next chunk repeats about
/// <see cref="ChunkingOptions.OverlapTokens"/> pieces, starting at a sentence or word boundary. Each chunk's title is the
/// document title and the path of headings above it, cut to <see cref="ChunkingOptions.TitleTokens"/> pieces.
/// </summary>
public sealed class Chunker(BertTokenizer tokenizer, ChunkingOptions options)
{
    private const string PathSeparator = " › ";

    public ChunkingOptions Options => options;

    public IReadOnlyList<Chunk> Split(ExtractedDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var tokens = tokenizer.EncodeWithOffsets(document.Text);
        var chunks = new List<Chunk>();
        var headings = new List<(int Level, string Text)>();
        var blocks = document.Blocks;
        var i = 0;
        while (i < blocks.Count)
        {
            // A section: an optional heading and the paragraphs up to the next heading.
            var first = i;
            if (blocks[i].Kind == BlockKind.Heading)
            {
                var heading = blocks[i];
                headings.RemoveAll(h => h.Level >= heading.Level);
                headings.Add((heading.Level, document.Text[heading.Start..heading.End]));
                i++;
            }

            var contentStart = i;
            while (i < blocks.Count && blocks[i].Kind != BlockKind.Heading)
            {
                i++;
            }

            if (i == contentStart)
            {
                continue; // a heading directly followed by another: it lives on in its subsections' titles
            }

            var path = headings.Select(h => h.Text).Where(h => h != document.Title).Prepend(document.Title);
            var title = Truncate(string.Join(PathSeparator, path));
            SplitSection(document.Text, tokens, blocks, first, i, title, chunks);
        }

        return chunks;
    }

    private void SplitSection(string text, IReadOnlyList<TextToken> tokens, IReadOnlyList<ExtractedBlock> blocks, int firstBlock, int endBlock, string title, List<Chunk> chunks)
    {
        var sectionStart = blocks[firstBlock].Start;
        var sectionEnd = blocks[endBlock - 1].End;
        var from = FirstTokenAtOrAfter(tokens, sectionStart);
        var to = FirstTokenAtOrAfter(tokens, sectionEnd);
        if (from >= to)
        {
            return;
        }

        var breaks = Breaks(text, tokens, blocks, firstBlock, endBlock, from, to);
        var max = options.MaxTokens;
        var position = from;
        while (position < to)
        {
            var limit = Math.Min(to, position + max);
            var end = limit == to ? to : BestBreak(breaks, from, position + Math.Max(1, max / 2), limit);
            var start = tokens[position].Start;
            var stop = tokens[end - 1].End;
            chunks.Add(new Chunk(chunks.Count, title, start, stop, text[start..stop], end - position));
            if (end == to)
            {
                break;
            }

            position = NextStart(breaks, from, position, end);
        }
    }

    /// <summary>The latest position in (<paramref name="low"/>, <paramref name="high"/>] with the strongest boundary before it.</summary>
    private static int BestBreak(byte[] breaks, int offset, int low, int high)
    {
        for (byte strength = 3; strength >= 1; strength--)
        {
            for (var p = high; p > low; p--)
            {
                if (breaks[p - offset] >= strength)
                {
                    return p;
                }
            }
        }

        return high;
    }

    /// <summary>Where the chunk after [<paramref name="start"/>, <paramref name="end"/>) begins: about OverlapTokens back, on a boundary.</summary>
    private int NextStart(byte[] breaks, int offset, int start, int end)
    {
        var target = end - options.OverlapTokens;
        if (options.OverlapTokens == 0 || target <= start)
        {
            return end;
        }

        for (byte strength = 2; strength >= 1; strength--)
        {
            for (var p = target; p < end; p++)
            {
                if (breaks[p - offset] >= strength)
                {
                    return p;
                }
            }
        }

        return end;
    }

    /// <summary>Boundary strength before each token: 3 paragraph, 2 sentence, 1 word, 0 inside a word.</summary>
    private byte[] Breaks(string text, IReadOnlyList<TextToken> tokens, IReadOnlyList<ExtractedBlock> blocks, int firstBlock, int endBlock, int from, int to)
    {
        var breaks = new byte[to - from + 1];
        var block = firstBlock;
        for (var t = from; t < to; t++)
        {
            var token = tokens[t];
            var previousBlock = block;
            while (block + 1 < endBlock && token.Start >= blocks[block + 1].Start)
            {
                block++;
            }

            byte strength;
            if (t == from || block != previousBlock)
            {
                strength = 3;
            }
            else if (tokenizer.IdToToken(token.Id).StartsWith(tokenizer.Options.ContinuingSubwordPrefix, StringComparison.Ordinal) && tokens[t - 1].End == token.Start)
            {
                strength = 0;
            }
            else
            {
                var previous = tokens[t - 1];
                var gap = text.AsSpan(previous.End, Math.Max(0, token.Start - previous.End));
                var last = text[previous.End - 1];
                strength = gap.Contains('\n') || (last is '.' or '!' or '?' or ';' or ':' && gap.Length > 0) ? (byte)2 : (byte)1;
            }

            breaks[t - from] = strength;
        }

        breaks[to - from] = 3;
        return breaks;
    }

    private static int FirstTokenAtOrAfter(IReadOnlyList<TextToken> tokens, int offset)
    {
        int low = 0, high = tokens.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (tokens[mid].Start < offset)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Cuts a title to TitleTokens word pieces (at a word start).</summary>
    private string Truncate(string title)
    {
        if (options.TitleTokens == 0)
        {
            return "";
        }

        var tokens = tokenizer.EncodeWithOffsets(title);
        if (tokens.Count <= options.TitleTokens)
        {
            return title;
        }

        var cut = options.TitleTokens;
        while (cut > 0 && tokenizer.IdToToken(tokens[cut].Id).StartsWith(tokenizer.Options.ContinuingSubwordPrefix, StringComparison.Ordinal))
        {
            cut--;
        }

        return cut == 0 ? "" : title[..tokens[cut - 1].End].TrimEnd() + "…";
    }
}
