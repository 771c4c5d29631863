using System.Numerics;

namespace HybridAI.Router.Caching;

/// <summary>
/// Locality-sensitive hashing of unit vectors by random hyperplanes (SimHash), so Redis can find candidates for a
/// similar embedding without scanning: 8 bands of 8 sign bits; two vectors share a band's bucket with probability
/// (1 − θ/π)^8. At cosine 0.95 at least one of the 8 buckets is shared 98.8 % of the time; unrelated texts (cosine
/// 0.3) share one about 13 % of the time and are then rejected by the exact cosine. The hyperplanes come from a fixed
/// seed, so every replica computes the same buckets.
/// </summary>
public static class SimilarityHash
{
    public const int Bands = 8;
    public const int BitsPerBand = 8;
    private const int Seed = 20_260_301;
    private static readonly Dictionary<int, float[][]> Planes = [];

    /// <summary>The bucket signature of each band (one byte each).</summary>
    public static byte[] Signatures(ReadOnlySpan<float> vector)
    {
        var planes = PlanesFor(vector.Length);
        var signatures = new byte[Bands];
        for (var b = 0; b < Bands; b++)
        {
            var signature = 0;
            for (var bit = 0; bit < BitsPerBand; bit++)
            {
                if (Dot(planes[(b * BitsPerBand) + bit], vector) >= 0)
                {
                    signature |= 1 << bit;
                }
            }

            signatures[b] = (byte)signature;
        }

        return signatures;
    }

    /// <summary>Dot product (the cosine for the encoder's unit vectors), SIMD where the hardware has it.</summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var n = Math.Min(a.Length, b.Length);
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var result = Vector.Sum(sum);
        for (; i < n; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }

    private static float[][] PlanesFor(int dimensions)
    {
        lock (Planes)
        {
            if (!Planes.TryGetValue(dimensions, out var planes))
            {
                // Seeded System.Random is deterministic across runs and machines; the planes need not be secret.
#pragma warning disable CA5394
                var random = new Random(Seed + dimensions);
                planes = new float[Bands * BitsPerBand][];
                for (var p = 0; p < planes.Length; p++)
                {
                    planes[p] = new float[dimensions];
                    for (var d = 0; d < dimensions; d++)
                    {
                        // Gaussian by Box-Muller: isotropic directions, as the hashing argument needs.
                        var u1 = 1.0 - random.NextDouble();
                        var u2 = random.NextDouble();
                        planes[p][d] = (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                    }
                }
#pragma warning restore CA5394

                Planes[dimensions] = planes;
            }

            return planes;
        }
    }
}
