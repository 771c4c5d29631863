using HybridAI.Quality.Calibration;

namespace HybridAI.Quality.Tests;

/// <summary>Synthetic traffic where the SLM fails more often the higher the needs-LLM probability (deterministic per seed).</summary>
internal static class Synthetic
{
    public static List<CalibrationSample> Traffic(int count, int seed, double failureSlope = 0.5, bool faq = false, bool cascade = false)
    {
        var random = new Random(seed);
        var samples = new List<CalibrationSample>(count);
        for (var i = 0; i < count; i++)
        {
            var p = Math.Round(random.NextDouble(), 3);
            var fails = random.NextDouble() < failureSlope * p;
            samples.Add(new CalibrationSample(p,
                faq ? Math.Round(fails ? random.NextDouble() * 0.8 : 0.4 + (random.NextDouble() * 0.6), 3) : null,
                cascade ? Math.Round(fails ? -3 + (random.NextDouble() * 2.5) : -1.5 + (random.NextDouble() * 1.4), 3) : null,
                fails ? 0 : 1, 100, 2000));
        }

        return samples;
    }
}
