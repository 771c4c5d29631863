using HybridAI.SlmInference.Core.Heads;
using HybridAI.SlmInference.Core.Models;

namespace HybridAI.SlmInference.Tests.Heads;

/// <summary>Head files for tests, shaped like the ones <c>hybridai train</c> writes.</summary>
internal static class HeadFiles
{
    public static HeadFile Softmax(string name = "intent", int seed = 1, string? encoderSha = null, double temperature = 1, HeadUnknown? unknown = null)
    {
        var random = new Random(seed);
        string[] labels = ["card_arrival", "exchange_rate", "lost_or_stolen_card"];
        return new HeadFile
        {
            Name = name,
            Kind = HeadKind.Softmax,
            Labels = labels,
            Encoder = new HeadEncoder(ShippedEncoder.Name, encoderSha ?? ShippedEncoder.ModelSha256),
            EmbeddingDimensions = 384,
            Weights = [.. labels.Select(_ => Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() - 0.5) * 4).ToArray())],
            Bias = [0.1f, -0.2f, 0.05f],
            Temperature = temperature,
            Unknown = unknown,
        };
    }

    public static HeadFile Sigmoid(string name = "needs-llm")
    {
        var random = new Random(5);
        var features = TextFeatures.Names;
        return new HeadFile
        {
            Name = name,
            Kind = HeadKind.Sigmoid,
            Labels = ["slm", "llm"],
            Encoder = new HeadEncoder(ShippedEncoder.Name, ShippedEncoder.ModelSha256),
            EmbeddingDimensions = 384,
            Features = new HeadFeatures(TextFeatures.Version, features, [.. features.Select(_ => 0.5f)], [.. features.Select(_ => 2f)]),
            Weights = [[.. Enumerable.Range(0, 384 + features.Count).Select(_ => (float)(random.NextDouble() - 0.5))]],
            Bias = [0.3f],
        };
    }

    /// <summary>A gain head: rows for "large model right", "small model right" and a length correction, Platt-calibrated.</summary>
    public static HeadFile Gain(string name = "needs-llm", HeadCalibration? calibration = null, double temperature = 1)
    {
        var random = new Random(9);
        var features = TextFeatures.Names;
        var inputs = 384 + features.Count;
        var correction = new float[inputs];
        correction[384] = 0.05f;
        return new HeadFile
        {
            Name = name,
            Kind = HeadKind.Gain,
            Labels = ["slm", "llm"],
            Encoder = new HeadEncoder(ShippedEncoder.Name, ShippedEncoder.ModelSha256),
            EmbeddingDimensions = 384,
            Features = new HeadFeatures(TextFeatures.Version, features, [.. features.Select(_ => 0.5f)], [.. features.Select(_ => 2f)]),
            Weights = [[.. Enumerable.Range(0, inputs).Select(_ => (float)(random.NextDouble() - 0.5))], [.. Enumerable.Range(0, inputs).Select(_ => (float)(random.NextDouble() - 0.5))], correction],
            Bias = [0.8f, 0.2f, 0.01f],
            Temperature = temperature,
            Calibration = calibration ?? new HeadCalibration(2.5, -1.5),
        };
    }

    public static string Write(HeadFile head, string folder)
    {
        var path = Path.Combine(folder, $"{head.Name}.head.json");
        head.Write(path);
        return path;
    }
}
