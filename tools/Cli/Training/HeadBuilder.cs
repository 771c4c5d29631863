using System.Text.Json;
using HybridAI.SlmInference.Core.Heads;

namespace HybridAI.Cli.Training;

/// <summary>Turns a trained <see cref="LinearModel"/> into the head file slm-inference loads.</summary>
public static class HeadBuilder
{
    public static HeadFile Softmax(string name, IReadOnlyList<string> labels, LinearModel model, string encoderName, string encoderSha256,
        int embeddingDimensions, HeadPooling pooling, HeadFeatures? features, HeadUnknown? unknown, object training) => new()
        {
            Pooling = pooling,
            Name = name,
            Kind = HeadKind.Softmax,
            Labels = labels.ToArray(),
            Encoder = new HeadEncoder(encoderName, encoderSha256),
            EmbeddingDimensions = embeddingDimensions,
            Features = features,
            Weights = Enumerable.Range(0, model.Classes).Select(c => model.Weights.AsSpan(c * model.Dimensions, model.Dimensions).ToArray()).ToArray(),
            Bias = model.Bias.ToArray(),
            Temperature = model.Temperature,
            Unknown = unknown,
            Training = JsonSerializer.SerializeToElement(training, HeadFile.SerializerOptions),
        };

    /// <summary>
    /// A binary head from a two-class softmax model: sigmoid(w1·x + b1 − w0·x − b0) is exactly softmax's class-1
    /// probability, so one row (w1 − w0, b1 − b0) carries the whole model.
    /// </summary>
    public static HeadFile Sigmoid(string name, string negative, string positive, LinearModel model, string encoderName, string encoderSha256,
        int embeddingDimensions, HeadPooling pooling, HeadFeatures? features, object training)
    {
        if (model.Classes != 2)
        {
            throw new ArgumentException("A sigmoid head needs a two-class model.", nameof(model));
        }

        var d = model.Dimensions;
        var row = new float[d];
        for (var j = 0; j < d; j++)
        {
            row[j] = model.Weights[d + j] - model.Weights[j];
        }

        return new HeadFile
        {
            Name = name,
            Kind = HeadKind.Sigmoid,
            Pooling = pooling,
            Labels = [negative, positive],
            Encoder = new HeadEncoder(encoderName, encoderSha256),
            EmbeddingDimensions = embeddingDimensions,
            Features = features,
            Weights = [row],
            Bias = [model.Bias[1] - model.Bias[0]],
            Temperature = model.Temperature,
            Training = JsonSerializer.SerializeToElement(training, HeadFile.SerializerOptions),
        };
    }

    /// <summary>
    /// A gain head: rows (large model right, small model right, length correction) as binary rows like
    /// <see cref="Sigmoid"/>'s, and the Platt calibration that turns the gain into the positive label's probability.
    /// </summary>
    public static HeadFile Gain(string name, string negative, string positive, GainTraining.Result result, int? lengthColumn, string encoderName,
        string encoderSha256, int embeddingDimensions, HeadPooling pooling, HeadFeatures? features, object training)
    {
        var d = result.Large.Dimensions;
        var correction = new float[d];
        if (lengthColumn is { } column)
        {
            correction[column] = (float)result.Beta;
        }

        return new HeadFile
        {
            Name = name,
            Kind = HeadKind.Gain,
            Pooling = pooling,
            Labels = [negative, positive],
            Encoder = new HeadEncoder(encoderName, encoderSha256),
            EmbeddingDimensions = embeddingDimensions,
            Features = features,
            Weights = [BinaryRow(result.Large), BinaryRow(result.Small), correction],
            Bias = [result.Large.Bias[1] - result.Large.Bias[0], result.Small.Bias[1] - result.Small.Bias[0], 0],
            Temperature = 1,
            Calibration = new HeadCalibration(result.Slope, result.Intercept),
            Training = JsonSerializer.SerializeToElement(training, HeadFile.SerializerOptions),
        };
    }

    private static float[] BinaryRow(LinearModel model)
    {
        var d = model.Dimensions;
        var row = new float[d];
        for (var j = 0; j < d; j++)
        {
            row[j] = model.Weights[d + j] - model.Weights[j];
        }

        return row;
    }
}
