using HybridAI.Retrieval.Ingestion.Chunking;
using HybridAI.Retrieval.Ingestion.Extraction;
using HybridAI.SlmInference.Core.Models;
using HybridAI.SlmInference.Core.Tokenization;

namespace HybridAI.Retrieval.Tests.Ingestion;

public sealed class ChunkerTests
{
    private static readonly BertTokenizer Tokenizer = ShippedEncoder.LoadTokenizer();

    private static string Sentences(string topic, int count) =>
        string.Join(' ', Enumerable.Range(1, count).Select(i => $"Sentence {i} explains one more detail about {topic} and why it matters."));

    [Fact]
    public void ChunksFitTheWindowCiteExactOffsetsAndOverlap()
    {
        var markdown = $"# Guide\n\n## Setup\n\n{Sentences("installation", 40)}\n\n{Sentences("configuration", 25)}\n\n## Usage\n\n{Sentences("usage", 8)}";
        var document = MarkdownExtractor.Extract(markdown, null, "guide");
        var chunker = new Chunker(Tokenizer, new ChunkingOptions { MaxTokens = 120, OverlapTokens = 30 });

        var chunks = chunker.Split(document);

        Assert.True(chunks.Count >= 5);
        Assert.All(chunks, c =>
        {
            Assert.InRange(Tokenizer.EncodeWithOffsets(c.Text).Count, 1, 120);
            Assert.Equal(document.Text[c.Start..c.End], c.Text);
        });
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Index));
        var setup = chunks.Where(c => c.Title == "Guide › Setup").ToList();
        Assert.True(setup.Count >= 3);
        Assert.True(setup.Zip(setup.Skip(1)).All(p => p.Second.Start < p.First.End), "consecutive chunks of a section overlap");
        Assert.All(setup.Skip(1), c => Assert.Matches("^(Sentence|[a-z])", c.Text));
    }

    [Fact]
    public void AChunkNeverSpansTwoSections()
    {
        var markdown = "# Policy\n\n## Returns\n\nReturn within 30 days.\n\n## Shipping\n\nShipping is free over 50 euros.";
        var document = MarkdownExtractor.Extract(markdown, null, "policy");
        var chunks = new Chunker(Tokenizer, new ChunkingOptions()).Split(document);

        Assert.Equal(["Policy › Returns", "Policy › Shipping"], chunks.Select(c => c.Title));
        Assert.Equal("Returns\n\nReturn within 30 days.", chunks[0].Text);
        Assert.StartsWith("Shipping", chunks[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ParagraphBoundariesArePreferredOverSentenceBoundaries()
    {
        var text = $"{Sentences("first", 5)}\n\n{Sentences("second", 5)}\n\n{Sentences("third", 5)}";
        var document = PlainTextExtractor.Extract(text, "Notes", "notes");
        var chunks = new Chunker(Tokenizer, new ChunkingOptions { MaxTokens = 150, OverlapTokens = 0 }).Split(document);

        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith("matters.", c.Text, StringComparison.Ordinal));
        Assert.Equal(document.Text.Length, chunks[^1].End);
    }

    [Fact]
    public void LongTitlesAreCutToTheirTokenBudget()
    {
        var title = string.Join(' ', Enumerable.Repeat("Extraordinarily", 60));
        var document = PlainTextExtractor.Extract("Some body text.", title, "x");
        var chunk = Assert.Single(new Chunker(Tokenizer, new ChunkingOptions { TitleTokens = 10 }).Split(document));
        Assert.InRange(Tokenizer.EncodeWithOffsets(chunk.Title.TrimEnd('…')).Count, 1, 10);
        Assert.EndsWith("…", chunk.Title, StringComparison.Ordinal);
    }
}
