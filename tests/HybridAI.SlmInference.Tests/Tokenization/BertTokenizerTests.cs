using System.Text;
using HybridAI.SlmInference.Core.Tokenization;

namespace HybridAI.SlmInference.Tests.Tokenization;

/// <summary>Hugging Face's own BertTokenizer test cases (tests/models/bert), which our tokenizer must reproduce.</summary>
public sealed class BertTokenizerTests
{
    private static readonly string[] Vocabulary = ["[UNK]", "[CLS]", "[SEP]", "want", "##want", "##ed", "wa", "un", "runn", "##ing", ",", "low", "lowest", "[PAD]"];

    private static BertTokenizer Tiny(BertTokenizerOptions? options = null) =>
        BertTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", Vocabulary))), options);

    [Fact]
    public void WordPieceMatchesLongestFirstAndMarksUnmatchableWordsUnknown()
    {
        var tokenizer = Tiny();
        Assert.Empty(tokenizer.Tokenize(""));
        Assert.Equal(["un", "##want", "##ed", "runn", "##ing"], tokenizer.Tokenize("unwanted running"));
        Assert.Equal(["[UNK]", "runn", "##ing"], tokenizer.Tokenize("unwantedX running"));
        Assert.Equal(["un", "##want", "##ed", ",", "runn", "##ing"], tokenizer.Tokenize("UNwant\u00E9d,running"));
    }

    [Fact]
    public void BasicTokenizationLowerCasesStripsAccentsAndSplitsPunctuation()
    {
        var tokenizer = BertTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n",
            new[] { "[UNK]", "[CLS]", "[SEP]", "hello", "!", "how", "are", "you", "?", "hallo", "ah", "zz", "\u535A", "\u63A8" }))));
        Assert.Equal(["hello", "!", "how", "are", "you", "?"], tokenizer.Tokenize(" \tHeLLo!how  \n Are yoU?  "));
        Assert.Equal(["hallo", "!", "how", "are", "you", "?"], tokenizer.Tokenize(" \tHäLLo!how  \n Are yoU?  "));
        Assert.Equal(["hello"], tokenizer.Tokenize("H\u00E9llo"));
        Assert.Equal(["ah", "\u535A", "\u63A8", "zz"], tokenizer.Tokenize("ah\u535A\u63A8zz"));
    }

    [Fact]
    public void CasedTokenizationKeepsCaseAndAccentsWhenAsked()
    {
        var tokenizer = BertTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes("[UNK]\n[CLS]\n[SEP]\nHäLLo\n!\n")),
            new BertTokenizerOptions { LowerCase = false });
        Assert.Equal(["HäLLo", "!"], tokenizer.Tokenize("HäLLo!"));
    }

    [Fact]
    public void ControlCharactersAreDroppedAndWhitespaceSeparates()
    {
        var tokenizer = Tiny();
        Assert.Equal(["want", "want"], tokenizer.Tokenize("want\u0005\u0000\uFFFD\nwant"));
        Assert.Equal(["want", "want"], tokenizer.Tokenize("want\u00A0want"));
        Assert.Equal(["want"], tokenizer.Tokenize("wa\u200Bnt"));
    }

    [Fact]
    public void EncodeAddsClassifierAndSeparatorAndTruncatesTheTail()
    {
        var tokenizer = Tiny();
        var full = tokenizer.Encode("unwanted running", 16);
        Assert.Equal([1, 7, 4, 5, 8, 9, 2], full.Ids);
        Assert.False(full.Truncated);

        var cut = tokenizer.Encode("unwanted running", 5);
        Assert.Equal([1, 7, 4, 5, 2], cut.Ids);
        Assert.True(cut.Truncated);
        Assert.Equal(7, cut.FullLength);
    }

    [Fact]
    public void OffsetsPointIntoTheOriginalText()
    {
        var tokenizer = Tiny();
        const string text = "  unwanted, running";
        var tokens = tokenizer.EncodeWithOffsets(text);
        Assert.Equal(["un", "want", "ed", ",", "runn", "ing"], tokens.Select(t => text[t.Start..t.End]));
    }

    [Fact]
    public void LongWordsBecomeUnknownWithoutWordPiece()
    {
        var tokenizer = Tiny(new BertTokenizerOptions { MaxInputCharsPerWord = 5 });
        Assert.Equal(["want", "[UNK]"], tokenizer.Tokenize("want wantwant"));
    }

    [Fact]
    public void HangulSyllablesDecomposeIntoJamoWhenStrippingAccents()
    {
        var tokenizer = BertTokenizer.FromVocabulary(new MemoryStream(Encoding.UTF8.GetBytes("[UNK]\n[CLS]\n[SEP]\n\u1112\n##\u1161\n##\u11AB\n")));
        Assert.Equal(["\u1112", "##\u1161", "##\u11AB"], tokenizer.Tokenize("\uD55C"));
    }
}
