using HybridAI.SlmInference.Core.Heads;

namespace HybridAI.Cli.Training;

/// <summary>
/// Head inputs: the embedding, optionally followed by standardised text features, computed with the same
/// <see cref="TextFeatures"/> code slm-inference uses at serving time.
/// </summary>
public static class FeatureMatrix
{
    /// <summary>Fits the standardisation of <paramref name="names"/> on <paramref name="texts"/>.</summary>
    public static HeadFeatures FitFeatures(IReadOnlyList<string> texts, IReadOnlyList<string> names)
    {
        var sums = new double[names.Count];
        var squares = new double[names.Count];
        var values = new float[names.Count];
        foreach (var text in texts)
        {
            TextFeatures.Compute(text, names, values);
            for (var j = 0; j < names.Count; j++)
            {
                sums[j] += values[j];
                squares[j] += values[j] * values[j];
            }
        }

        var mean = sums.Select(s => (float)(s / texts.Count)).ToArray();
        var scale = squares.Select((q, j) =>
        {
            var variance = (q / texts.Count) - (mean[j] * (double)mean[j]);
            return (float)Math.Max(Math.Sqrt(Math.Max(variance, 0)), 1e-3);
        }).ToArray();
        return new HeadFeatures(TextFeatures.Version, names.ToArray(), mean, scale);
    }

    /// <summary>Rows of [embedding, (feature − mean) / scale].</summary>
    public static float[][] Build(IReadOnlyList<float[]> embeddings, IReadOnlyList<string> texts, HeadFeatures? features)
    {
        if (features is null)
        {
            return embeddings.ToArray();
        }

        var k = features.Names.Count;
        var rows = new float[embeddings.Count][];
        var values = new float[k];
        for (var i = 0; i < rows.Length; i++)
        {
            var e = embeddings[i];
            var row = new float[e.Length + k];
            e.CopyTo(row, 0);
            TextFeatures.Compute(texts[i], features.Names, values);
            for (var j = 0; j < k; j++)
            {
                row[e.Length + j] = (values[j] - features.Mean[j]) / features.Scale[j];
            }

            rows[i] = row;
        }

        return rows;
    }

    public static T[] Take<T>(IReadOnlyList<T> items, int[] indices) => indices.Select(i => items[i]).ToArray();
}
