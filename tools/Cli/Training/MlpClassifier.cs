using System.Numerics.Tensors;

namespace HybridAI.Cli.Training;

/// <summary>
/// One hidden layer (ReLU) and a softmax output, trained with Adam, dropout and weight decay on mini-batches. Used
/// when a linear head is not enough (Banking77's 77 intents). Deterministic for a seed: one thread walks the
/// mini-batches in a seeded order; within a batch, examples are processed in parallel into per-example gradient
/// slots that are summed in a fixed order.
/// </summary>
public sealed class MlpClassifier
{
    public sealed record Settings(int Hidden = 1024, int Epochs = 40, int BatchSize = 64, double LearningRate = 1e-3,
        double WeightDecay = 1e-4, double Dropout = 0.3, int Seed = 42);

    public int Inputs { get; }

    public int Hidden { get; }

    public int Classes { get; }

    /// <summary>[Hidden, Inputs] row-major.</summary>
    public float[] W1 { get; }

    public float[] B1 { get; }

    /// <summary>[Classes, Hidden] row-major.</summary>
    public float[] W2 { get; }

    public float[] B2 { get; }

    public double Temperature { get; set; } = 1;

    private MlpClassifier(int inputs, int hidden, int classes, Random random)
    {
        Inputs = inputs;
        Hidden = hidden;
        Classes = classes;
        W1 = Init(hidden * inputs, Math.Sqrt(2.0 / inputs), random);
        B1 = new float[hidden];
        W2 = Init(classes * hidden, Math.Sqrt(1.0 / hidden), random);
        B2 = new float[classes];
    }

    public void Probabilities(ReadOnlySpan<float> x, Span<double> p)
    {
        Span<float> h = Hidden <= 4096 ? stackalloc float[Hidden] : new float[Hidden];
        Forward(x, h, p, null, null);
        LinearModel.Softmax(p, Temperature);
    }

    private void Forward(ReadOnlySpan<float> x, Span<float> h, Span<double> logits, bool[]? dropMask, Random? random)
    {
        for (var j = 0; j < Hidden; j++)
        {
            var v = TensorPrimitives.Dot(W1.AsSpan(j * Inputs, Inputs), x) + B1[j];
            h[j] = v > 0 ? v : 0;
        }

        if (dropMask is not null)
        {
            for (var j = 0; j < Hidden; j++)
            {
                dropMask[j] = random!.NextDouble() < _dropout;
                h[j] = dropMask[j] ? 0 : h[j] * _keepScale;
            }
        }

        for (var c = 0; c < Classes; c++)
        {
            logits[c] = TensorPrimitives.Dot(W2.AsSpan(c * Hidden, Hidden), h) + B2[c];
        }
    }

    private double _dropout;
    private float _keepScale = 1;

    public static MlpClassifier Train(float[][] x, int[] y, int classes, Settings settings, Action<int, double>? progress, CancellationToken ct)
    {
        var random = new Random(settings.Seed);
        var model = new MlpClassifier(x[0].Length, settings.Hidden, classes, random);
        model._dropout = settings.Dropout;
        model._keepScale = (float)(1 / (1 - settings.Dropout));
        var parameters = new[] { model.W1, model.B1, model.W2, model.B2 };
        var adam = parameters.Select(p => (M: new float[p.Length], V: new float[p.Length])).ToArray();
        var grads = parameters.Select(p => new float[p.Length]).ToArray();
        var order = Enumerable.Range(0, x.Length).ToArray();
        var step = 0;
        var h = new float[settings.Hidden];
        var dh = new float[settings.Hidden];
        var logits = new double[classes];
        var mask = new bool[settings.Hidden];
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            var epochLoss = 0.0;
            for (var start = 0; start < order.Length; start += settings.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var g in grads)
                {
                    Array.Clear(g);
                }

                var end = Math.Min(order.Length, start + settings.BatchSize);
                for (var b = start; b < end; b++)
                {
                    var i = order[b];
                    model.Forward(x[i], h, logits, mask, random);
                    LinearModel.Softmax(logits, 1);
                    epochLoss -= Math.Log(Math.Max(logits[y[i]], 1e-300));
                    Array.Clear(dh);
                    for (var c = 0; c < classes; c++)
                    {
                        var d = (float)(logits[c] - (c == y[i] ? 1 : 0));
                        TensorPrimitives.MultiplyAdd(h, d, grads[2].AsSpan(c * model.Hidden, model.Hidden), grads[2].AsSpan(c * model.Hidden, model.Hidden));
                        grads[3][c] += d;
                        TensorPrimitives.MultiplyAdd(model.W2.AsSpan(c * model.Hidden, model.Hidden), d, dh, dh);
                    }

                    for (var j = 0; j < model.Hidden; j++)
                    {
                        if (h[j] <= 0)
                        {
                            continue;
                        }

                        var d = dh[j] * model._keepScale;
                        TensorPrimitives.MultiplyAdd(x[i], d, grads[0].AsSpan(j * model.Inputs, model.Inputs), grads[0].AsSpan(j * model.Inputs, model.Inputs));
                        grads[1][j] += d;
                    }
                }

                step++;
                var scale = 1f / (end - start);
                for (var p = 0; p < parameters.Length; p++)
                {
                    AdamStep(parameters[p], grads[p], adam[p].M, adam[p].V, scale, step, settings, decay: p % 2 == 0);
                }
            }

            progress?.Invoke(epoch, epochLoss / x.Length);
        }

        model._dropout = 0;
        model._keepScale = 1;
        return model;
    }

    private static void AdamStep(float[] w, float[] g, float[] m, float[] v, float scale, int step, Settings s, bool decay)
    {
        const float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        var lr = (float)(s.LearningRate * Math.Sqrt(1 - Math.Pow(beta2, step)) / (1 - Math.Pow(beta1, step)));
        var wd = decay ? (float)(s.LearningRate * s.WeightDecay) : 0f;
        for (var k = 0; k < w.Length; k++)
        {
            var gk = g[k] * scale;
            m[k] = (beta1 * m[k]) + ((1 - beta1) * gk);
            v[k] = (beta2 * v[k]) + ((1 - beta2) * gk * gk);
            w[k] -= (lr * m[k] / (MathF.Sqrt(v[k]) + eps)) + (wd * w[k]);
        }
    }

    private static float[] Init(int length, double std, Random random)
    {
        var w = new float[length];
        for (var i = 0; i < length; i++)
        {
            // Box-Muller normal draws.
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            w[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return w;
    }
}
