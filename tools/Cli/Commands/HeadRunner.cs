using HybridAI.Cli.Embedding;
using HybridAI.SlmInference.Core.Heads;

namespace HybridAI.Cli.Commands;

/// <summary>Applies a head file exactly as slm-inference does (Core's <see cref="ClassificationHead"/>).</summary>
public sealed class HeadRunner
{
    private readonly ClassificationHead _head;

    public HeadRunner(string path, TextEncoder encoder)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"{path}: no such head file.", path);
        }

        var file = HeadFile.Read(path);
        if (file.Encoder.Sha256 != encoder.Sha256)
        {
            throw new InvalidDataException(
                $"{path} was trained on encoder {file.Encoder.Name} ({file.Encoder.Sha256[..12]}…), not on {encoder.Name} ({encoder.Sha256[..12]}…); retrain it.");
        }

        File = file;
        _head = new ClassificationHead(file, encoder.Name, encoder.Sha256, encoder.Dimensions, "", path);
    }

    public HeadFile File { get; }

    public HeadPrediction Predict(PooledTexts pooled, int index, string text) =>
        _head.Predict(pooled.Mean(index), pooled.Max(index), text);

    /// <summary>The probability of the positive (second) label of a binary head.</summary>
    public double Positive(PooledTexts pooled, int index, string text) =>
        Predict(pooled, index, text).Scores.Single(s => s.Label == File.Labels[1]).Probability;

    /// <summary>A value recorded in the head's training facts, if any.</summary>
    public double? TrainingNumber(string key) =>
        File.Training is { } t && t.TryGetProperty(key, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetDouble() : null;
}
