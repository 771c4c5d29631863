using System.Numerics.Tensors;

namespace HybridAI.Cli.Training;

/// <summary>
/// Multinomial logistic regression with L2 regularisation, fitted by L-BFGS. The loss and gradient are computed
/// in fixed chunks in parallel and summed in chunk order, so training is deterministic on any number of cores.
/// </summary>
public static class SoftmaxRegression
{
    private const int ChunkSize = 512;

    public sealed record Settings(double L2 = 1e-4, int MaxIterations = 300, double Tolerance = 1e-7, double[]? ClassWeights = null);

    public static LinearModel Train(float[][] features, int[] labels, int classes, Settings settings,
        Action<int, double>? progress = null, CancellationToken cancellationToken = default)
    {
        var n = features.Length;
        var d = features[0].Length;
        var stride = d + 1;
        var chunks = (n + ChunkSize - 1) / ChunkSize;
        var partialGradients = new float[chunks][];
        var partialLosses = new double[chunks];
        var weightsF = new float[classes * d];
        var sampleWeight = settings.ClassWeights is { } cw ? labels.Select(l => cw[l]).ToArray() : null;
        var totalWeight = sampleWeight?.Sum() ?? n;

        double Objective(ReadOnlySpan<double> theta, Span<double> gradient)
        {
            for (var c = 0; c < classes; c++)
            {
                for (var j = 0; j < d; j++)
                {
                    weightsF[(c * d) + j] = (float)theta[(c * stride) + j];
                }
            }

            var thetaCopy = theta.ToArray();
            Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, chunk =>
            {
                // Per-chunk sums in float (512 rows at most) vectorise; chunks are added in double, in order.
                var g = partialGradients[chunk] ??= new float[classes * stride];
                Array.Clear(g);
                var p = new double[classes];
                var loss = 0.0;
                var end = Math.Min(n, (chunk + 1) * ChunkSize);
                for (var i = chunk * ChunkSize; i < end; i++)
                {
                    var x = features[i];
                    for (var c = 0; c < classes; c++)
                    {
                        p[c] = TensorPrimitives.Dot(weightsF.AsSpan(c * d, d), x) + thetaCopy[(c * stride) + d];
                    }

                    LinearModel.Softmax(p, 1);
                    var w = sampleWeight?[i] ?? 1;
                    loss -= w * Math.Log(Math.Max(p[labels[i]], 1e-300));
                    for (var c = 0; c < classes; c++)
                    {
                        var delta = w * (p[c] - (c == labels[i] ? 1 : 0));
                        if (delta == 0)
                        {
                            continue;
                        }

                        var row = g.AsSpan(c * stride, d);
                        TensorPrimitives.MultiplyAdd(x, (float)delta, row, row);
                        g[(c * stride) + d] += (float)delta;
                    }
                }

                partialLosses[chunk] = loss;
            });

            gradient.Clear();
            var total = 0.0;
            for (var chunk = 0; chunk < chunks; chunk++)
            {
                total += partialLosses[chunk];
                var partial = partialGradients[chunk];
                for (var k = 0; k < partial.Length; k++)
                {
                    gradient[k] += partial[k];
                }
            }

            TensorPrimitives.Multiply(gradient, 1 / totalWeight, gradient);
            total /= totalWeight;
            for (var c = 0; c < classes; c++)
            {
                for (var j = 0; j < d; j++)
                {
                    var k = (c * stride) + j;
                    total += 0.5 * settings.L2 * theta[k] * theta[k];
                    gradient[k] += settings.L2 * theta[k];
                }
            }

            return total;
        }

        var theta = Lbfgs.Minimize(Objective, new double[classes * stride], settings.MaxIterations, settings.Tolerance,
            progress: progress, cancellationToken: cancellationToken);

        var weights = new float[classes * d];
        var bias = new float[classes];
        for (var c = 0; c < classes; c++)
        {
            for (var j = 0; j < d; j++)
            {
                weights[(c * d) + j] = (float)theta[(c * stride) + j];
            }

            bias[c] = (float)theta[(c * stride) + d];
        }

        return new LinearModel(classes, d, weights, bias);
    }

    /// <summary>Fits the softmax temperature that minimises held-out negative log-likelihood (golden-section search).</summary>
    public static double FitTemperature(LinearModel model, float[][] features, int[] labels)
    {
        var logits = features.Select(x =>
        {
            var l = new double[model.Classes];
            model.Logits(x, l);
            return l;
        }).ToArray();

        double Nll(double t)
        {
            var total = 0.0;
            var p = new double[model.Classes];
            for (var i = 0; i < logits.Length; i++)
            {
                logits[i].CopyTo(p, 0);
                LinearModel.Softmax(p, t);
                total -= Math.Log(Math.Max(p[labels[i]], 1e-300));
            }

            return total / logits.Length;
        }

        double lo = 0.05, hi = 20;
        var phi = (Math.Sqrt(5) - 1) / 2;
        var a = hi - (phi * (hi - lo));
        var b = lo + (phi * (hi - lo));
        double fa = Nll(a), fb = Nll(b);
        for (var i = 0; i < 60; i++)
        {
            if (fa < fb)
            {
                hi = b;
                b = a;
                fb = fa;
                a = hi - (phi * (hi - lo));
                fa = Nll(a);
            }
            else
            {
                lo = a;
                a = b;
                fa = fb;
                b = lo + (phi * (hi - lo));
                fb = Nll(b);
            }
        }

        return (lo + hi) / 2;
    }
}
