using System.Numerics.Tensors;

namespace HybridAI.Cli.Training;

/// <summary>
/// Removes what separates topics (e.g. MMLU subjects) from head inputs: the directions spanned by the groups'
/// centroids are projected out of the pooled encoder outputs before training. A linear head trained on projected
/// inputs has weights orthogonal to those directions, so it scores raw embeddings exactly as projected ones: the
/// head file needs no change, and at serving time the head cannot lean on "which subject is this" — only on what
/// varies within subjects, which is what transfers to topics it never saw.
/// </summary>
public static class TopicProjection
{
    /// <summary>Projects the first <paramref name="dimensions"/> values of every row, in place; returns the rank removed.</summary>
    public static int Apply(float[][] rows, string[] groups, int dimensions)
    {
        var overall = new double[dimensions];
        foreach (var row in rows)
        {
            for (var j = 0; j < dimensions; j++)
            {
                overall[j] += row[j];
            }
        }

        for (var j = 0; j < dimensions; j++)
        {
            overall[j] /= rows.Length;
        }

        // Orthonormal basis of the centroid deviations (modified Gram-Schmidt, dropping near-dependent ones).
        var basis = new List<float[]>();
        foreach (var group in Enumerable.Range(0, rows.Length).GroupBy(i => groups[i], StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var v = new float[dimensions];
            var count = 0;
            foreach (var i in group)
            {
                for (var j = 0; j < dimensions; j++)
                {
                    v[j] += rows[i][j];
                }

                count++;
            }

            for (var j = 0; j < dimensions; j++)
            {
                v[j] = (float)((v[j] / count) - overall[j]);
            }

            foreach (var b in basis)
            {
                var dot = TensorPrimitives.Dot(v, b);
                TensorPrimitives.MultiplyAdd(b, -dot, v, v);
            }

            var norm = MathF.Sqrt(TensorPrimitives.Dot(v, v));
            if (norm > 1e-4f)
            {
                TensorPrimitives.Divide(v, norm, v);
                basis.Add(v);
            }
        }

        foreach (var row in rows)
        {
            var x = row.AsSpan(0, dimensions);
            foreach (var b in basis)
            {
                TensorPrimitives.MultiplyAdd(b, -TensorPrimitives.Dot(x, b), x, x);
            }
        }

        return basis.Count;
    }
}
