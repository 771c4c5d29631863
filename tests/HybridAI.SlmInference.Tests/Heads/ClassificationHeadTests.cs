using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Models;

namespace HybridAI.SlmInference.Tests.Heads;

public sealed class ClassificationHeadTests
{
    private static readonly float[] Embedding = [.. Enumerable.Range(0, 384).Select(i => (float)Math.Sin(i) / 10)];

    [Fact]
    public void SoftmaxHeadGivesEveryLabelItsProbabilityHighestFirst()
    {
        var file = HeadFiles.Softmax(temperature: 2);
        var head = Bind(file);
        var prediction = head.Predict(Embedding, "where is my card");

        var logits = file.Weights.Select((w, r) => (file.Bias[r] + w.Zip(Embedding, (a, b) => (double)a * b).Sum()) / 2).ToArray();
        var max = logits.Max();
        var expected = logits.Select(z => Math.Exp(z - max) / logits.Sum(y => Math.Exp(y - max))).ToArray();
        Assert.Equal(3, prediction.Scores.Count);
        foreach (var score in prediction.Scores)
        {
            Assert.Equal(expected[file.Labels.ToList().IndexOf(score.Label)], score.Probability, 10);
        }

        Assert.Equal(prediction.Scores.OrderByDescending(s => s.Probability), prediction.Scores);
        Assert.Equal(prediction.Scores[0].Label, prediction.Label);
        Assert.Equal(prediction.Scores[0].Probability, prediction.Confidence);
    }

    [Fact]
    public void BelowTheUnknownThresholdTheHeadAbstains()
    {
        var head = Bind(HeadFiles.Softmax(unknown: new HeadUnknown(0.999)));
        var prediction = head.Predict(Embedding, "where is my card");
        Assert.Equal("unknown", prediction.Label);
        Assert.Equal(prediction.Scores[0].Probability, prediction.Confidence);
    }

    [Fact]
    public void SigmoidHeadUsesStandardisedTextFeatures()
    {
        var file = HeadFiles.Sigmoid();
        var head = Bind(file);
        const string text = "Prove that √2 is irrational? And why?";
        var prediction = head.Predict(Embedding, text);

        var features = TextFeatures.Names.Select(n => (TextFeatures.Compute(text, n) - 0.5) / 2).ToArray();
        var z = file.Bias[0] + Embedding.Select((e, i) => (double)e * file.Weights[0][i]).Sum() + features.Select((f, i) => f * file.Weights[0][384 + i]).Sum();
        var positive = 1 / (1 + Math.Exp(-z));
        Assert.Equal(positive, prediction.Scores.Single(s => s.Label == "llm").Probability, 6);
        Assert.Equal(1 - positive, prediction.Scores.Single(s => s.Label == "slm").Probability, 6);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1.7)]
    public void GainHeadCalibratesTheDifferenceOfItsTwoPredictions(double temperature)
    {
        var file = HeadFiles.Gain(temperature: temperature);
        var head = Bind(file);
        const string text = "A 45-year-old man presents with chest pain. Which of the following is the most likely diagnosis?";
        var prediction = head.Predict(Embedding, text);

        var features = TextFeatures.Names.Select(n => (TextFeatures.Compute(text, n) - 0.5) / 2).ToArray();
        double Row(int r) => file.Bias[r] + Embedding.Select((e, i) => (double)e * file.Weights[r][i]).Sum() + features.Select((f, i) => f * file.Weights[r][384 + i]).Sum();
        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var gain = Sigmoid(Row(0) / temperature) - Sigmoid(Row(1) / temperature) + Row(2);
        var positive = Sigmoid((2.5 * gain) - 1.5);
        Assert.Equal(positive, prediction.Scores.Single(s => s.Label == "llm").Probability, 6);
        Assert.Equal(1 - positive, prediction.Scores.Single(s => s.Label == "slm").Probability, 6);
    }

    [Fact]
    public void GainHeadFilesRoundTripWithTheirCalibration()
    {
        var folder = Directory.CreateTempSubdirectory("hybridai-heads-").FullName;
        try
        {
            var file = HeadFiles.Gain();
            var read = HeadFile.Read(HeadFiles.Write(file, folder));
            Assert.Equal(HeadKind.Gain, read.Kind);
            Assert.Equal(new HeadCalibration(2.5, -1.5), read.Calibration);
            Assert.Equal(3, read.Weights.Count);
            Assert.Equal(file.Weights[2], read.Weights[2]);
            Assert.Contains("\"kind\":\"gain\"", File.ReadAllText(Path.Combine(folder, "needs-llm.head.json")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void GainHeadsNeedThreeRowsAndAPositiveCalibration()
    {
        var problems = (HeadFiles.Gain(calibration: new HeadCalibration(-1, 0)) with { Weights = HeadFiles.Gain().Weights.Take(2).ToArray() }).Validate().ToArray();
        Assert.Contains(problems, p => p.Contains("weights must be 3 row(s)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("positive, finite slope", StringComparison.Ordinal));
        var uncalibrated = HeadFiles.Gain() with { Calibration = null };
        Assert.Contains(uncalibrated.Validate(), p => p.Contains("calibration", StringComparison.Ordinal));
        var calibratedSigmoid = HeadFiles.Sigmoid() with { Calibration = new HeadCalibration(1, 0) };
        Assert.Contains(calibratedSigmoid.Validate(), p => p.Contains("gain heads only", StringComparison.Ordinal));
    }

    [Fact]
    public void AHeadRefusesAnEncoderItWasNotTrainedOn()
    {
        var file = HeadFiles.Softmax(encoderSha: new string('0', 64));
        var error = Assert.Throws<InvalidDataException>(() => new ClassificationHead(file, ShippedEncoder.Name, ShippedEncoder.ModelSha256, 384, "x", "heads/intent.head.json"));
        Assert.Contains("heads/intent.head.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("retrain", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeadFilesRoundTripExactly()
    {
        var folder = Directory.CreateTempSubdirectory("hybridai-heads-").FullName;
        try
        {
            var file = HeadFiles.Sigmoid();
            var read = HeadFile.Read(HeadFiles.Write(file, folder));
            Assert.Equal(file.Weights[0], read.Weights[0]);
            Assert.Equal(file.Features!.Names, read.Features!.Names);
            Assert.Equal(HeadKind.Sigmoid, read.Kind);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void InvalidHeadFilesNameEveryProblemAndTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("hybridai-heads-").FullName;
        try
        {
            var path = Path.Combine(folder, "bad.head.json");
            File.WriteAllText(path, """
                {"format":"hybridai-head","format_version":1,"name":"bad","kind":"sigmoid","labels":["a","b","c"],
                 "encoder":{"name":"all-MiniLM-L6-v2","sha256":"abc"},"embedding_dimensions":2,"weights":[[1,2,3]],"bias":[0],"temperature":0}
                """);
            var error = Assert.Throws<InvalidDataException>(() => HeadFile.Read(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Contains("exactly two labels", error.Message, StringComparison.Ordinal);
            Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
            Assert.Contains("weights must be 1 row(s) of 2 values", error.Message, StringComparison.Ordinal);
            Assert.Contains("temperature", error.Message, StringComparison.Ordinal);

            File.WriteAllText(path, "{ not json");
            Assert.Contains(path, Assert.Throws<InvalidDataException>(() => HeadFile.Read(path)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Theory]
    [InlineData("", TextFeatures.LogLength, 0)]
    [InlineData("What is 2+2? Really?", TextFeatures.QuestionCount, 2)]
    [InlineData("a1b2", TextFeatures.DigitRatio, 0.5)]
    [InlineData("```\ncode\n```", TextFeatures.HasCode, 1)]
    [InlineData("def f(x): return x == 1", TextFeatures.HasCode, 1)]
    [InlineData("Where is my card?", TextFeatures.HasCode, 0)]
    [InlineData("x = y + 1", TextFeatures.MathSymbols, 1.0986123)]
    [InlineData("three short words", TextFeatures.LogWords, 1.3862944)]
    public void TextFeaturesAreComputedAsDocumented(string text, string feature, double expected) =>
        Assert.Equal(expected, TextFeatures.Compute(text, feature), 5);

    private static ClassificationHead Bind(HeadFile file) =>
        new(file, ShippedEncoder.Name, ShippedEncoder.ModelSha256, 384, "sha", "test");
}
