using System.Numerics.Tensors;

namespace HybridAI.Cli.Training;

/// <summary>
/// A linear softmax classifier over feature vectors: <c>p = softmax((W x + b) / T)</c>. Two-class models are
/// binary heads (class 1 is "yes"). This is the math a head file stores; slm-inference applies the same.
/// </summary>
public sealed class LinearModel(int classes, int dimensions, float[] weights, float[] bias)
{
    public int Classes { get; } = classes;

    public int Dimensions { get; } = dimensions;

    /// <summary>Row-major <c>[Classes, Dimensions]</c>.</summary>
    public float[] Weights { get; } = weights;

    public float[] Bias { get; } = bias;

    /// <summary>Softmax temperature fitted on held-out data (1 = uncalibrated).</summary>
    public double Temperature { get; set; } = 1;

    public void Logits(ReadOnlySpan<float> x, Span<double> logits)
    {
        for (var c = 0; c < Classes; c++)
        {
            logits[c] = TensorPrimitives.Dot(Weights.AsSpan(c * Dimensions, Dimensions), x) + Bias[c];
        }
    }

    public void Probabilities(ReadOnlySpan<float> x, Span<double> probabilities)
    {
        Logits(x, probabilities);
        Softmax(probabilities, Temperature);
    }

    public static void Softmax(Span<double> logits, double temperature)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var sum = 0.0;
        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] = Math.Exp((logits[i] - max) / temperature);
            sum += logits[i];
        }

        for (var i = 0; i < logits.Length; i++)
        {
            logits[i] /= sum;
        }
    }
}
