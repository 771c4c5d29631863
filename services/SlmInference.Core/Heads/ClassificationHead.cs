namespace HybridAI.SlmInference.Core.Heads;

/// <summary>A label's probability.</summary>
public readonly record struct LabelProbability(string Label, double Probability);

/// <summary>What a head says about one text.</summary>
/// <param name="Label">The best label, or the head's unknown label when the best probability is under its threshold.</param>
/// <param name="Confidence">The best label's probability.</param>
/// <param name="Scores">Every label's probability, highest first.</param>
public sealed record HeadPrediction(string Label, double Confidence, IReadOnlyList<LabelProbability> Scores);

/// <summary>
/// A loaded head: linear rows over an encoder's embedding and optional text features, read as softmax, sigmoid or gain
/// (<see cref="HeadKind"/>). Thread-safe.
/// </summary>
public sealed class ClassificationHead
{
    private readonly HeadFile _file;
    private readonly int _featureCount;

    /// <summary>Binds <paramref name="file"/> to the encoder it runs on; refuses any encoder but the one it was trained on.</summary>
    public ClassificationHead(HeadFile file, string encoderName, string encoderSha256, int encoderDimensions, string sha256, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!string.Equals(file.Encoder.Sha256, encoderSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{source}: head '{file.Name}' was trained on encoder '{file.Encoder.Name}' with SHA-256 {file.Encoder.Sha256}, " +
                $"but encoder '{encoderName}' has SHA-256 {encoderSha256}; retrain the head for this encoder.");
        }

        if (file.EmbeddingDimensions != encoderDimensions)
        {
            throw new InvalidDataException($"{source}: head '{file.Name}' expects {file.EmbeddingDimensions}-dimensional embeddings, encoder '{encoderName}' gives {encoderDimensions}.");
        }

        _file = file;
        _featureCount = file.Features?.Names.Count ?? 0;
        EncoderName = encoderName;
        Sha256 = sha256;
    }

    public string Name => _file.Name;

    public HeadKind Kind => _file.Kind;

    public IReadOnlyList<string> Labels => _file.Labels;

    public string EncoderName { get; }

    /// <summary>SHA-256 of the head file.</summary>
    public string Sha256 { get; }

    public int InputDimensions => _file.InputDimensions;

    /// <summary>Whether the head needs the max-pooled token states besides the embedding.</summary>
    public bool UsesMaxPooling => _file.Pooling == HeadPooling.MeanMax;

    /// <summary>Applies a mean-pooling head to one text's embedding.</summary>
    public HeadPrediction Predict(ReadOnlySpan<float> embedding, string text) => Predict(embedding, default, text);

    /// <summary>Applies the head to one text's embedding and (for <see cref="UsesMaxPooling"/> heads) its max-pooled states.</summary>
    public HeadPrediction Predict(ReadOnlySpan<float> embedding, ReadOnlySpan<float> maxPooled, string text)
    {
        if (UsesMaxPooling && maxPooled.Length != embedding.Length)
        {
            throw new ArgumentException($"Head '{Name}' reads mean and max pooling; the max-pooled states are missing.", nameof(maxPooled));
        }

        var pooled = UsesMaxPooling ? embedding.Length * 2 : embedding.Length;
        Span<float> features = _featureCount <= 64 ? stackalloc float[_featureCount] : new float[_featureCount];
        if (_file.Features is { } f)
        {
            TextFeatures.Compute(text, f.Names, features);
            for (var i = 0; i < features.Length; i++)
            {
                features[i] = (features[i] - f.Mean[i]) / f.Scale[i];
            }
        }

        var rows = _file.Weights.Count;
        Span<double> logits = rows <= 512 ? stackalloc double[rows] : new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var w = _file.Weights[r];
            double z = _file.Bias[r];
            for (var i = 0; i < embedding.Length; i++)
            {
                z += w[i] * (double)embedding[i];
            }

            if (UsesMaxPooling)
            {
                for (var i = 0; i < maxPooled.Length; i++)
                {
                    z += w[embedding.Length + i] * (double)maxPooled[i];
                }
            }

            for (var i = 0; i < features.Length; i++)
            {
                z += w[pooled + i] * (double)features[i];
            }

            logits[r] = z / _file.Temperature;
        }

        var scores = new LabelProbability[_file.Labels.Count];
        if (_file.Kind is HeadKind.Sigmoid or HeadKind.Gain)
        {
            var positive = _file.Kind == HeadKind.Sigmoid ? Sigmoid(logits[0]) : GainProbability(logits);
            scores[0] = new LabelProbability(_file.Labels[1], positive);
            scores[1] = new LabelProbability(_file.Labels[0], 1 - positive);
        }
        else
        {
            var max = double.NegativeInfinity;
            foreach (var z in logits)
            {
                max = Math.Max(max, z);
            }

            var sum = 0d;
            for (var r = 0; r < rows; r++)
            {
                sum += Math.Exp(logits[r] - max);
            }

            for (var r = 0; r < rows; r++)
            {
                scores[r] = new LabelProbability(_file.Labels[r], Math.Exp(logits[r] - max) / sum);
            }
        }

        // Stable: equal probabilities keep label order.
        var ordered = scores.Select((s, i) => (s, i)).OrderByDescending(x => x.s.Probability).ThenBy(x => x.i).Select(x => x.s).ToArray();
        var best = ordered[0];
        var label = _file.Unknown is { } unknown && best.Probability < unknown.Threshold ? unknown.Label : best.Label;
        return new HeadPrediction(label, best.Probability, ordered);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    // The linear correction (row 2) is not a logit: undo the temperature that the loop above applied to every row.
    private double GainProbability(ReadOnlySpan<double> logits)
    {
        var gain = Sigmoid(logits[0]) - Sigmoid(logits[1]) + (logits[2] * _file.Temperature);
        var calibration = _file.Calibration!;
        return Sigmoid((calibration.Slope * gain) + calibration.Intercept);
    }
}
