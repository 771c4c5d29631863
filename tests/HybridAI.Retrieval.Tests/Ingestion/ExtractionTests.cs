using Format = HybridAI.Contracts.Retrieval.V1.DocumentFormat;
using HybridAI.Retrieval.Errors;
using HybridAI.Retrieval.Ingestion.Extraction;
using HybridAI.Retrieval.Tests.Service;

namespace HybridAI.Retrieval.Tests.Ingestion;

public sealed class ExtractionTests
{
    [Fact]
    public void MarkdownKeepsHeadingsVisibleTextListsAndTables()
    {
        var document = MarkdownExtractor.Extract("---\ntitle: ignored\n---\n# Title\n\nSee [the guide](https://example.com/guide) for **details**.\n\n- first item\n- second item\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode line\n```", null, "fallback");

        Assert.Equal("Title", document.Title);
        Assert.Equal("Title\n\nSee the guide for details.\n\n- first item\n\n- second item\n\na | b\n1 | 2\n\ncode line", document.Text);
        Assert.Equal(BlockKind.Heading, document.Blocks[0].Kind);
        Assert.All(document.Blocks, b => Assert.True(b.End > b.Start));
    }

    [Fact]
    public void HtmlExtractsTheMainContentWithoutPageFurniture()
    {
        const string html = """
            <html><head><title>Help centre</title><style>p{color:red}</style></head><body>
            <header><nav><a href="/">Home</a> <a href="/shop">Shop</a></nav></header>
            <aside>Related: gift cards</aside>
            <main><h1>Returns</h1><p>Return items within <b>30 days</b>.</p><script>track()</script>
            <ul><li>Keep the receipt</li><li>Use the label</li></ul><table><tr><th>Item</th><th>Days</th></tr><tr><td>Sofa</td><td>14</td></tr></table></main>
            <footer>© Lumen &amp; Oak</footer></body></html>
            """;
        var document = HtmlExtractor.Extract(html, null, "page");

        Assert.Equal("Help centre", document.Title);
        Assert.Equal("Returns\n\nReturn items within 30 days.\n\n- Keep the receipt\n\n- Use the label\n\nItem | Days\nSofa | 14", document.Text);
    }

    [Fact]
    public void HtmlWithoutMainUsesTheLargestArticle()
    {
        var document = HtmlExtractor.Extract("<body><article><p>Short teaser.</p></article><article><h2>Story</h2><p>The long story with many more words in it.</p></article></body>", null, "x");
        Assert.Equal("Story\n\nThe long story with many more words in it.", document.Text);
    }

    [Fact]
    public void DocxHeadingsComeFromParagraphStyles()
    {
        var docx = Docs.Docx(("Heading1", "Leave policy"), ("Normal", "Employees get 25 days."), ("Heading2", "Carry-over"), ("Normal", "Up to 5 days carry over."));
        var document = DocumentExtractor.Extract(Format.Docx, null, docx, null, "leave", "file");

        Assert.Equal("Leave policy\n\nEmployees get 25 days.\n\nCarry-over\n\nUp to 5 days carry over.", document.Text);
        Assert.Equal([BlockKind.Heading, BlockKind.Paragraph, BlockKind.Heading, BlockKind.Paragraph], document.Blocks.Select(b => b.Kind));
        Assert.Equal([1, 0, 2, 0], document.Blocks.Select(b => b.Level));
    }

    [Fact]
    public void CorruptDocxAndNonUtf8TextAreInvalid()
    {
        var docx = Assert.Throws<ValidationFailedException>(() => DocumentExtractor.Extract(Format.Docx, null, new byte[] { 1, 2, 3 }, null, "x", "file"));
        Assert.Contains("not a readable DOCX", docx.Message, StringComparison.Ordinal);
        var text = Assert.Throws<ValidationFailedException>(() => DocumentExtractor.Extract(Format.Text, null, new byte[] { 0xC3, 0x28 }, null, "x", "file"));
        Assert.Contains("not UTF-8", text.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/markdown", "", Format.Markdown)]
    [InlineData("", "page.HTM", Format.Html)]
    [InlineData("application/octet-stream", "report.docx", Format.Docx)]
    [InlineData("text/plain; charset=utf-8", "", Format.Text)]
    public void FormatsAreResolvedFromContentTypeOrFileName(string contentType, string fileName, Format expected) =>
        Assert.Equal(expected, DocumentExtractor.Resolve(Format.Unspecified, contentType, fileName, hasText: false));

    [Fact]
    public void UnsupportedFormatsAreRefusedNamingWhatIsSupported()
    {
        var error = Assert.Throws<UnsupportedMediaTypeException>(() => DocumentExtractor.Resolve(Format.Unspecified, "application/pdf", "scan.pdf", hasText: false));
        Assert.Contains("DOCX", error.Message, StringComparison.Ordinal);
    }
}
