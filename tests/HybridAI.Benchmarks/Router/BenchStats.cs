using System.Globalization;
using HybridAI.Benchmarks.Harness;

namespace HybridAI.Benchmarks.Router;

/// <summary>Small statistics the router suites report: medians over runs, p99 spreads, the machine's load.</summary>
internal static class BenchStats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The median p99 over runs with its min–max.</summary>
    public static string Spread(List<LoadResult> runs)
    {
        var p99 = runs.Select(r => r.Latency.Percentile(99)).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"{Median(p99):0.00} ({p99.Min():0.00}–{p99.Max():0.00})");
    }

}
